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
  // The order of one stable sort on (severity, resource key, rule, id), built as: each finding's
  // severity and resource key numbered in one pass; the distinct keys sorted once; the findings placed
  // by (severity, key rank) with a stable counting sort; then each run of equal (severity, key) — a few
  // findings — sorted by rule and id in place. A stable sort keeps arrival order among ties, and so
  // does each step here. Reports hold hundreds of thousands of findings, a few per resource: one sort
  // over all of them, or an array per group, showed at ≈5 % of bench:config.
  const count = findings.length;
  const keys = new ResourceKeys();
  const keyIds = new Int32Array(count);
  const severities = new Int32Array(count);
  const summary = emptySummary();
  for (let i = 0; i < count; i++) {
    const f = findings[i]!;
    countInSummary(summary, f);
    keyIds[i] = keys.idOf(f.resource);
    severities[i] = SEVERITY_ORDER.get(f.severity) ?? UNKNOWN_SEVERITY;
  }
  const keyCount = keys.texts.length;
  const rank = new Int32Array(keyCount);
  keys.texts
    .map((_, id) => id)
    .sort((a, b) => compareText(keys.texts[a]!, keys.texts[b]!))
    .forEach((id, position) => {
      rank[id] = position;
    });
  // starts[bucket] = where the bucket's findings begin in `sorted`; bucket = severity × keys + key rank.
  const starts = new Int32Array(SLOTS * keyCount + 1);
  for (let i = 0; i < count; i++) starts[severities[i]! * keyCount + rank[keyIds[i]!]! + 1]!++;
  for (let b = 1; b < starts.length; b++) starts[b]! += starts[b - 1]!;
  const sorted = findings.slice(); // every place overwritten below; slice() keeps the array packed
  const next = starts.slice(0, -1);
  for (let i = 0; i < count; i++)
    sorted[next[severities[i]! * keyCount + rank[keyIds[i]!]!]!++] = findings[i]!;
  for (let b = 0; b + 1 < starts.length; b++) {
    if (starts[b + 1]! - starts[b]! > 1) sortRun(sorted, starts[b]!, starts[b + 1]!);
  }
  return { sorted, summary };
}

// Runs longer than this (an image's vulnerabilities: thousands on one resource) go to the engine's sort.
const INSERTION_LIMIT = 32;

/** sorted[from, to) by rule and id, stably: an insertion sort for the usual few findings. */
function sortRun(sorted: Finding[], from: number, to: number): void {
  if (to - from > INSERTION_LIMIT) {
    const run = sorted.slice(from, to).sort(byRuleAndId);
    for (let i = 0; i < run.length; i++) sorted[from + i] = run[i]!;
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const f = sorted[i]!;
    let j = i - 1;
    while (j >= from && byRuleAndId(sorted[j]!, f) > 0) {
      sorted[j + 1] = sorted[j]!;
      j--;
    }
    sorted[j + 1] = f;
  }
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
