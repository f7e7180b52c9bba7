import { z } from 'zod';
import { mitre } from '../config/checks/references.js';
import { maskSecretsIn } from '../mask/index.js';
import {
  type Finding,
  fingerprint,
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
      firstSeen: at,
      lastSeen: at,
      status: 'open',
    },
  };
}
