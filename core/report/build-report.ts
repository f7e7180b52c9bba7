import { randomUUID } from 'node:crypto';
import {
  type CheckOutcome,
  type Finding,
  type InputProblem,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportResource,
  SEVERITIES,
  summarize,
} from '../model/index.js';

export interface ReportParts {
  target: Report['target'];
  startedAt: Date;
  finishedAt: Date;
  findings: Finding[];
  resources: ReportResource[];
  problems: InputProblem[];
  skippedKinds: Record<string, number>;
  checks?: CheckOutcome[];
  scanId?: string;
}

/** Findings in a report's stable order: most severe first, then by resource, rule and id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  // One bucket per severity (SEVERITIES runs from most to least severe), each sorted on keys computed
  // once per finding: reports hold hundreds of thousands, and a comparator that looked the severity
  // rank up and built the resource key showed at ≈5 % of bench:config.
  const buckets: Keyed[][] = SEVERITIES.map(() => []);
  const unknown: Keyed[] = [];
  const keys = new ResourceKeys();
  for (const f of findings) {
    const bucket = buckets[SEVERITY_ORDER.get(f.severity) ?? -1] ?? unknown;
    bucket.push({ f, key: keys.of(f.resource), ruleId: f.ruleId, id: f.id });
  }
  const sorted: Finding[] = [];
  for (const bucket of [...buckets, unknown]) {
    bucket.sort(byKeys);
    for (const k of bucket) sorted.push(k.f);
  }
  return sorted;
}

interface Keyed {
  f: Finding;
  key: string;
  ruleId: string;
  id: string;
}

const SEVERITY_ORDER = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));

function byKeys(a: Keyed, b: Keyed): number {
  return compareText(a.key, b.key) || compareText(a.ruleId, b.ruleId) || compareText(a.id, b.id);
}

/** Assembles a report with findings in a stable order: most severe first, then by resource and rule. */
export function buildReport(parts: ReportParts): Report {
  const findings = sortFindings(parts.findings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    scanId: parts.scanId ?? randomUUID(),
    target: parts.target,
    startedAt: parts.startedAt.toISOString(),
    finishedAt: parts.finishedAt.toISOString(),
    summary: summarize(findings),
    resources: parts.resources,
    findings,
    problems: parts.problems,
    skippedKinds: parts.skippedKinds,
    ...(parts.checks ? { checks: parts.checks } : {}),
  };
}

// Code-unit order: stable across locales, and much cheaper than localeCompare.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The sort key of a finding's resource. Findings come grouped by resource (a scanner reports one
 * resource's findings together), so the last key is kept and reused while the parts are the same
 * strings: one key built per resource and container rather than per finding.
 */
class ResourceKeys {
  private last: Finding['resource'] | undefined;
  private key = '';

  of(r: Finding['resource']): string {
    const last = this.last;
    if (
      last === undefined ||
      last.namespace !== r.namespace ||
      last.kind !== r.kind ||
      last.name !== r.name ||
      last.container !== r.container ||
      last.node !== r.node ||
      last.image !== r.image
    ) {
      // join() turns undefined into '' and gives one flat string (cheap to compare many times).
      this.key = [r.namespace, r.kind, r.name, r.container, r.node, r.image].join('/');
      this.last = r;
    }
    return this.key;
  }
}
