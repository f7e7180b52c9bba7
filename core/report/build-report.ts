import { randomUUID } from 'node:crypto';
import {
  type CheckOutcome,
  countInSummary,
  emptySummary,
  type Finding,
  type InputProblem,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportResource,
  SEVERITIES,
  type SeveritySummary,
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
  return sortAndSummarize(findings).sorted;
}

/** sortFindings, and the report's summary of the same findings counted in the same pass. */
function sortAndSummarize(findings: readonly Finding[]): { sorted: Finding[]; summary: SeveritySummary } {
  // Findings are grouped by severity and resource key, each group in the order its findings came; the
  // distinct keys are sorted once, then each group by rule and id. That is the order of one stable sort
  // on (severity, key, rule, id) — a group keeps its findings' arrival order as a stable sort keeps
  // ties — with far fewer comparisons: reports hold hundreds of thousands of findings, a few per
  // resource, and one sort over all of them showed at ≈5 % of bench:config.
  const keys = new ResourceKeys();
  // groups[key id × SLOTS + severity rank]; the last slot holds severities outside SEVERITIES.
  const groups: Array<Finding[] | undefined> = [];
  const summary = emptySummary();
  for (const f of findings) {
    countInSummary(summary, f);
    const slot = keys.idOf(f.resource) * SLOTS + (SEVERITY_ORDER.get(f.severity) ?? UNKNOWN_SEVERITY);
    // Grown one slot at a time: a write far past the end would turn the array into a slow sparse one.
    while (groups.length <= slot) groups.push(undefined);
    const group = groups[slot];
    if (group) group.push(f);
    else groups[slot] = [f];
  }
  const byKey = keys.texts.map((_, id) => id).sort((a, b) => compareText(keys.texts[a]!, keys.texts[b]!));
  const sorted: Finding[] = [];
  for (let severity = 0; severity < SLOTS; severity++)
    for (const id of byKey) {
      const group = groups[id * SLOTS + severity];
      if (!group) continue;
      if (group.length > 1) group.sort(byRuleAndId);
      for (const f of group) sorted.push(f);
    }
  return { sorted, summary };
}

const SEVERITY_ORDER = new Map<string, number>(SEVERITIES.map((s, i) => [s, i]));
const UNKNOWN_SEVERITY = SEVERITIES.length;
const SLOTS = SEVERITIES.length + 1;

function byRuleAndId(a: Finding, b: Finding): number {
  return compareText(a.ruleId, b.ruleId) || compareText(a.id, b.id);
}

/** Assembles a report with findings in a stable order: most severe first, then by resource and rule. */
export function buildReport(parts: ReportParts): Report {
  const { sorted: findings, summary } = sortAndSummarize(parts.findings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    scanId: parts.scanId ?? randomUUID(),
    target: parts.target,
    startedAt: parts.startedAt.toISOString(),
    finishedAt: parts.finishedAt.toISOString(),
    summary,
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
 * Numbers for findings' resource sort keys (`namespace/kind/name/container/node/image`), and the keys.
 * Findings come grouped by resource (a scanner reports one resource's findings together, its containers
 * in turn), so while the parts other than the container are the ones last seen, the container alone is
 * looked up: one key string built per resource and container rather than per finding.
 */
class ResourceKeys {
  /** The key of each id. */
  readonly texts: string[] = [];
  private readonly ids = new Map<string, number>();
  private last: Finding['resource'] | undefined;
  private byContainer = new Map<unknown, number>();

  idOf(r: Finding['resource']): number {
    const last = this.last;
    if (
      last === undefined ||
      last.namespace !== r.namespace ||
      last.kind !== r.kind ||
      last.name !== r.name ||
      last.node !== r.node ||
      last.image !== r.image
    ) {
      this.byContainer.clear();
      this.last = r;
    }
    let id = this.byContainer.get(r.container);
    if (id === undefined) {
      // join() turns undefined into '' and gives one flat string (cheap to compare many times).
      const key = [r.namespace, r.kind, r.name, r.container, r.node, r.image].join('/');
      id = this.ids.get(key);
      if (id === undefined) {
        id = this.texts.length;
        this.texts.push(key);
        this.ids.set(key, id);
      }
      this.byContainer.set(r.container, id);
    }
    return id;
  }
}
