import { z } from 'zod';
import { mitre } from '../config/checks/references.js';
import { maskSecretsIn } from '../mask/index.js';
import {
  type Finding,
  fingerprint,
  type ProcessNode,
  type ProcessTree,
  type Reference,
  type ResourceRef,
  type Severity,
} from '../model/index.js';

/**
 * A Falco alert as Falco's `json_output` / HTTP output sends it, and as falcosidekick forwards it
 * (falcosidekick adds `uuid` and `hostname`). Only the fields seco reads are checked; the rest pass.
 */
const FalcoAlert = z.object({
  rule: z.string().min(1).max(256),
  priority: z.string().min(1).max(32),
  output: z.string().max(65536).default(''),
  time: z.string().min(1).max(64),
  hostname: z.string().max(253).optional(),
  source: z.string().max(64).optional(),
  tags: z.array(z.string().max(128)).max(100).default([]),
  output_fields: z.record(z.string(), z.unknown()).default({}),
});

// Falco's priorities (falco.yaml `priority`), from syslog levels, onto seco's severities.
const SEVERITY: Record<string, Severity> = {
  emergency: 'critical',
  alert: 'critical',
  critical: 'critical',
  error: 'high',
  warning: 'medium',
  notice: 'low',
  informational: 'info',
  info: 'info',
  debug: 'info',
};

export type FalcoResult = { ok: true; finding: Finding } | { ok: false; error: string };

const field = (f: Record<string, unknown>, key: string): string | undefined => {
  const v = f[key];
  return typeof v === 'string' && v !== '' && v !== '<NA>'
    ? v
    : typeof v === 'number'
      ? String(v)
      : undefined;
};

const number = (f: Record<string, unknown>, key: string): number | undefined => {
  const n = Number(field(f, key));
  return Number.isInteger(n) && n >= 0 ? n : undefined;
};

const defined = <T extends object>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/**
 * The process tree from Falco's output fields (`proc.*`, `proc.p*` for the parent, `proc.aname[N]` for
 * further ancestors, see Falco's supported fields), when the rule's output carries them.
 */
function falcoProcess(f: Record<string, unknown>): { process?: ProcessTree } {
  const cmdline = field(f, 'proc.cmdline');
  const name = field(f, 'proc.name');
  if (!cmdline && !name) return {};
  const mask = (text: string | undefined) => (text ? maskSecretsIn(text).slice(0, 4096) : undefined);
  const parent = defined({
    pid: number(f, 'proc.ppid'),
    name: field(f, 'proc.pname'),
    exe: field(f, 'proc.pexepath') ?? field(f, 'proc.pexe'),
    cmdline: mask(field(f, 'proc.pcmdline')),
  });
  const ancestors: ProcessNode[] = Object.keys(parent).length ? [parent] : [];
  for (let n = 2; n <= 8; n++) {
    const ancestor = field(f, `proc.aname[${n}]`);
    if (!ancestor) break;
    ancestors.push(defined({ name: ancestor, pid: number(f, `proc.apid[${n}]`) }));
  }
  return {
    process: defined({
      pid: number(f, 'proc.pid'),
      name,
      exe: field(f, 'proc.exepath') ?? field(f, 'proc.exe'),
      cmdline: mask(cmdline),
      uid: number(f, 'user.uid'),
      ancestors,
    }),
  };
}

/** One Falco alert (parsed JSON) → a Finding with scanner `tool:falco`; a malformed alert says which field. */
export function falcoAlertToFinding(value: unknown, options: { cluster?: string } = {}): FalcoResult {
  const parsed = FalcoAlert.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `falco alert: ${issue.path.join('.') || 'body'}: ${issue.message}` };
  }
  const a = parsed.data;
  const severity = SEVERITY[a.priority.toLowerCase()];
  if (!severity) return { ok: false, error: `falco alert: priority: unknown priority "${a.priority}"` };
  const time = new Date(a.time);
  if (Number.isNaN(time.getTime())) return { ok: false, error: `falco alert: time: not a date: "${a.time}"` };
  const f = a.output_fields;
  const namespace = field(f, 'k8s.ns.name');
  const pod = field(f, 'k8s.pod.name');
  const node = a.hostname ?? field(f, 'hostname');
  const image = field(f, 'container.image.repository');
  const tag = field(f, 'container.image.tag');
  const resource: ResourceRef = Object.fromEntries(
    Object.entries({
      cluster: options.cluster,
      namespace,
      kind: pod ? 'Pod' : node ? 'Node' : undefined,
      name: pod ?? node,
      container: field(f, 'container.name'),
      node,
      image: image ? `${image}${tag ? `:${tag}` : ''}` : undefined,
    }).filter(([, v]) => v !== undefined),
  );
  // Falco tags MITRE techniques as `T1059` (and tactics as `mitre_execution`); keep the technique ids.
  const references: Reference[] = a.tags.filter((t) => /^T\d{4}(\.\d{3})?$/.test(t)).map(mitre);
  const at = time.toISOString();
  return {
    ok: true,
    finding: {
      id: fingerprint(`falco:${a.rule}`, resource),
      scanner: 'tool:falco',
      ruleId: a.rule,
      title: a.rule,
      severity,
      resource,
      evidence: maskSecretsIn(a.output).slice(0, 4096),
      description: `Falco rule "${a.rule}" (${a.priority}${a.source ? `, source ${a.source}` : ''})`,
      references,
      ...falcoProcess(f),
      firstSeen: at,
      lastSeen: at,
      status: 'open',
    },
  };
}
