import { compareSeverity, type Finding, type Severity } from '../../model/index.js';
import { cutAtWord } from './wrap-words.js';

export interface CheckCount {
  ruleId: string;
  severity: Severity;
  title: string;
  /** Distinct resources (workload, node or image) with an open finding of this check. */
  resources: number;
}

/** Where a finding is, as one key: the same check on the same object counts once. */
export function resourceKey(f: Finding): string {
  const r = f.resource;
  return [r.kind ?? '', r.namespace ?? '', r.name ?? '', r.node ?? '', r.image ?? ''].join('\u0000');
}

/**
 * Open findings counted per check — the control list kube-bench and Kubescape end with — most severe
 * first, then by how many resources fail it.
 */
export function countByCheck(findings: readonly Finding[]): CheckCount[] {
  const byCheck = new Map<string, { first: Finding; resources: Set<string> }>();
  for (const f of findings) {
    if (f.status !== 'open') continue;
    const entry = byCheck.get(f.ruleId);
    if (entry) entry.resources.add(resourceKey(f));
    else byCheck.set(f.ruleId, { first: f, resources: new Set([resourceKey(f)]) });
  }
  return [...byCheck.values()]
    .map(({ first, resources }) => ({
      ruleId: first.ruleId,
      severity: first.severity,
      title: first.title,
      resources: resources.size,
    }))
    .sort(
      (a, b) =>
        compareSeverity(a.severity, b.severity) ||
        b.resources - a.resources ||
        a.ruleId.localeCompare(b.ruleId),
    );
}

/**
 * The per-check table, `width` columns wide at most: CHECK, SEVERITY, RESOURCES, then the title, cut
 * at a word with `…` when the line would not fit; too narrow a terminal for a readable title drops it.
 * Plain text: the caller paints it.
 */
export function checkSummaryRows(counts: readonly CheckCount[], width: number): string[][] {
  const header = ['CHECK', 'SEVERITY', 'RESOURCES', 'TITLE'];
  const idWidth = counts.reduce((w, c) => Math.max(w, c.ruleId.length), header[0]!.length);
  // 2 spaces between columns; SEVERITY is at most 8 wide, RESOURCES 9.
  const titleWidth = width - (idWidth + 2 + 8 + 2 + 9 + 2);
  const withTitle = titleWidth >= MIN_TITLE_WIDTH;
  const row = (c: CheckCount) => [c.ruleId, c.severity.toUpperCase(), String(c.resources)];
  return [
    withTitle ? header : header.slice(0, 3),
    ...counts.map((c) => (withTitle ? [...row(c), cutAtWord(c.title, titleWidth)] : row(c))),
  ];
}

const MIN_TITLE_WIDTH = 24;
