import { type AuditSink, auditToStream } from '../core/exec/audit-log.js';
import { SecureExecutor } from '../core/exec/executor.js';
import { scanHost } from '../core/host/scan-host.js';
import type { Job } from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { mergeHostFindings } from '../core/tools/host-merge.js';
import { installedTools } from '../core/tools/installed-tools.js';
import { adapterNamed } from '../core/tools/registry.js';
import { runTool } from '../core/tools/run-tool.js';
import { runServiceTools } from '../core/tools/service-tools-job.js';
import type { HostTarget, ToolInputs } from '../core/tools/tool-adapter.js';
import type { ImageJobContext, JobResult } from './image-job.js';
import { runImageToolsJob } from './image-tools-job.js';
import type { JobWatch } from './job-watch.js';

type ToolsJob = Extract<Job, { kind: 'tools' }>;

export interface ToolsJobContext {
  node: string;
  hostRoot: string;
  procRoot: string;
  cluster?: string;
  store?: ObjectStore;
  /** Data for the adapters (lynis/chkrootkit test subsets); none by default. */
  toolInputs?: Omit<ToolInputs, 'scratch'>;
  /** Where tool runs are audited (default: this process's stderr, one JSON line each). */
  toolAudit?: AuditSink;
  /** The cluster's Service CIDRs: a service target's ClusterIP must be inside (default: the private ranges). */
  serviceNetworks?: readonly string[];
  /** Where the published ClamAV signatures and YARA rules are cached, for image tools jobs. */
  toolDataCache?: string;
  insecureRegistries?: readonly string[];
  platform?: ImageJobContext['platform'];
}

/** `scans/<scanId>/tools/<jobId>/<tool>/<name>`: a tool's raw output, kept beside the job's results. */
export function toolRawKey(scanId: string, jobId: string, tool: string, name: string): string {
  return `scans/${scanId}/tools/${jobId}/${tool}/${name}`;
}

/** Stores a tool's raw output of this job (when the job has a store). */
function rawKeeper(job: ToolsJob, store: ObjectStore | undefined) {
  return async (tool: string, name: string, body: Buffer | string) => {
    await store?.put(toolRawKey(job.scanId, job.jobId, tool, name), body, { contentType: 'text/plain' });
  };
}

/**
 * A `tools` job: the node tools it names, run on the node's host root through the secure executor, over
 * the binaries this container has (the tools image's). A tool finding on a control seco's own host
 * checks also fail is left out (the host job reports it); raw outputs go to the object store. A tool
 * that is missing or fails is a problem of the job, which still returns what the others found.
 */
export async function runToolsJob(
  job: ToolsJob,
  context: ToolsJobContext,
  now: Date,
  watch?: JobWatch,
): Promise<JobResult> {
  if (job.services) return runServiceToolsJob(job, job.services, context, now, watch);
  if (job.image) {
    const keepRaw = rawKeeper(job, context.store);
    return runImageToolsJob({ ...job, image: job.image }, { ...context, keepRaw }, now, watch);
  }
  const problems: string[] = [];
  const adapters = job.tools.flatMap((name) => {
    const adapter = adapterNamed(name);
    if (adapter?.place === 'host') return [adapter];
    problems.push(`tool ${name}: not a node tool`);
    return [];
  });
  const executor = new SecureExecutor({
    tools: await installedTools(adapters),
    audit: context.toolAudit ?? auditToStream(process.stderr),
  });
  const target: HostTarget = {
    place: 'host',
    root: context.hostRoot,
    node: context.node,
    ...(context.cluster ? { cluster: context.cluster } : {}),
  };
  const keepRaw = rawKeeper(job, context.store);
  const found = [];
  for (const adapter of adapters) {
    if (!executor.allowed(adapter.binary.name)) {
      problems.push(`tool ${adapter.name} is not installed on node ${context.node}`);
      continue;
    }
    const output = await runTool(adapter, target, {
      executor,
      now,
      ...(context.toolInputs ? { inputs: context.toolInputs } : {}),
      ...(watch ? { signal: watch.signal } : {}),
    });
    watch?.progress();
    found.push(...output.findings);
    problems.push(...output.problems.map((p) => `on node ${context.node}: ${p}`));
    for (const raw of output.raw) await keepRaw(adapter.name, raw.name, raw.body);
  }
  const own = await scanHost({
    hostRoot: context.hostRoot,
    procRoot: context.procRoot,
    nodeName: context.node,
    ...(context.cluster ? { cluster: context.cluster } : {}),
    now,
  });
  const merged = mergeHostFindings(own.findings, found);
  const ownIds = new Set(own.findings.map((f) => f.id));
  return { findings: merged.filter((f) => !ownIds.has(f.id)), problems };
}

/**
 * A tools job for the seco-tools Deployment: the service tools at the app's Services (each ClusterIP
 * checked against the Service networks where the tools run), raw outputs beside the job's results.
 */
async function runServiceToolsJob(
  job: ToolsJob,
  services: NonNullable<ToolsJob['services']>,
  context: ToolsJobContext,
  now: Date,
  watch?: JobWatch,
): Promise<JobResult> {
  const wanted = job.tools.flatMap((name) => {
    const adapter = adapterNamed(name);
    return adapter ? [adapter] : [];
  });
  const executor = new SecureExecutor({
    tools: await installedTools(wanted),
    audit: context.toolAudit ?? auditToStream(process.stderr),
  });
  return runServiceTools(job.tools, services, {
    executor,
    now,
    ...(context.serviceNetworks ? { networks: context.serviceNetworks } : {}),
    ...(context.cluster ? { cluster: context.cluster } : {}),
    ...(watch ? { signal: watch.signal, onProgress: watch.progress } : {}),
    keepRaw: rawKeeper(job, context.store),
  });
}
