import type { ExecRequest, ExecResult } from '../exec/executor.js';
import type { Finding, Reference, Severity } from '../model/index.js';

/** Where an adapter's tool runs and what it looks at. */
export type ToolPlace = 'host' | 'image' | 'service';

/** A node's filesystem, mounted read-only at `root` (`/` locally, `/host` in the agent pod). */
export interface HostTarget {
  place: 'host';
  root: string;
  node: string;
  cluster?: string;
}

/** An image's final filesystem, written (regular files only, never executable) under `root`. */
export interface ImageTarget {
  place: 'image';
  root: string;
  /** The image reference, with digest, for findings. */
  image: string;
  /** Files over the materialisation cap or otherwise not written: told in the report, not scanned. */
  cluster?: string;
}

/** A Service (or pod) the scan resolved from the app: where to connect, and what its containers declare. */
export interface ServiceTarget {
  place: 'service';
  namespace: string;
  /** The Service's (or pod's) name. */
  name: string;
  kind: 'Service' | 'Pod';
  /** Address to connect to: a ClusterIP, a pod IP or a DNS name. */
  host: string;
  /** TCP ports the Service exposes (TLS tools test these). */
  ports: number[];
  /** Ports the app's containers declare: an open port outside this list is a finding. */
  declaredPorts: number[];
  cluster?: string;
}

export type ToolTarget = HostTarget | ImageTarget | ServiceTarget;

/** What a user may hand an adapter besides the target: data, never command-line text. */
export interface ToolInputs {
  /** YARA rule files (user-supplied, as data). */
  yaraRules?: string[];
  /** ClamAV signature database directory (.hdb/.ndb/.ldb/.cvd files). */
  clamavDatabase?: string;
  /** Lynis test ids to run (`--tests`); all when unset (a full audit takes minutes). */
  lynisTests?: string[];
  /** chkrootkit test names to run; all when unset. */
  chkrootkitTests?: string[];
  /** rkhunter test names to run (`--enable`); its default set when unset. */
  rkhunterTests?: string[];
  /** A scratch directory the adapter may write reports into (created by the caller, private). */
  scratch: string;
}

/** What one run gave: findings, the tool's raw output for the object store, and what went wrong. */
export interface ToolOutput {
  findings: Finding[];
  /** Raw outputs, each named (`lynis-report.dat`), stored beside the results. */
  raw: Array<{ name: string; body: Buffer }>;
  problems: string[];
}

/** What an adapter asks the executor to run; the runner fills in the tool and limits. */
export type ToolCommand = Pick<ExecRequest, 'args' | 'env' | 'cwd' | 'timeoutMs' | 'maxStdoutBytes'>;

/**
 * One third-party tool (STYLE.md: one file per tool, one registry line). It says which binary it
 * needs, where it runs, how its command line is built from validated values, and how its output
 * becomes seco findings (`tool:<name>/…` rule ids).
 */
export interface ToolAdapter<T extends ToolTarget = ToolTarget> {
  /** The adapter's name, as users write it in `--tools` (`lynis`, `clamav`). */
  name: string;
  place: T['place'];
  /** The executable, by allowlist name, and where Debian installs it. */
  binary: { name: string; paths: readonly string[] };
  description: string;
  /** How to ask the tool its version, and how to read the answer. */
  version: { command: ToolCommand; parse(result: ExecResult): string | undefined };
  /** The command lines to run for a target (most tools: one). */
  commands(target: T, inputs: ToolInputs): Promise<ToolCommand[]> | ToolCommand[];
  /** Turns the runs' results into findings (and names the raw outputs to keep). */
  parse(results: ExecResult[], target: T, inputs: ToolInputs, now: Date): Promise<ToolOutput> | ToolOutput;
}

/** How a tool's own severity words map onto seco's. */
export type SeverityMap = Readonly<Record<string, Severity>>;

export type { Reference };
