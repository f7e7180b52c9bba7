import { z } from 'zod';
import type { Finding } from './finding.js';
import { SeveritySummary, summarize } from './report.js';

/**
 * The scope whose readers may see a finding (docs/api-access.md, "Who sees which findings"): the
 * namespace of the object it is about; else the node it is about (a CIS host check, a node-level runtime
 * alert); else the cluster as a whole. `namespace/<ns>`, `node/<name>`, `cluster`.
 */
export type FindingScope = string;

export const CLUSTER_SCOPE = 'cluster';

export function findingScope(resource: { namespace?: string; node?: string }): FindingScope {
  if (resource.namespace) return `namespace/${resource.namespace}`;
  if (resource.node) return `node/${resource.node}`;
  return CLUSTER_SCOPE;
}

/** A report's severity counts per scope: a reader's own counts are the sum over the scopes they may see. */
export const ScopedSummaries = z.record(z.string(), SeveritySummary);
export type ScopedSummaries = z.infer<typeof ScopedSummaries>;

export function summarizeByScope(findings: readonly Finding[]): ScopedSummaries {
  const byScope = new Map<FindingScope, Finding[]>();
  for (const finding of findings) {
    const scope = findingScope(finding.resource);
    const list = byScope.get(scope);
    if (list) list.push(finding);
    else byScope.set(scope, [finding]);
  }
  return Object.fromEntries([...byScope].map(([scope, list]) => [scope, summarize(list)]));
}

/** The sum of the summaries of the scopes kept; a summary's total is every count in it. */
export function addSummaries(summaries: readonly SeveritySummary[]): SeveritySummary {
  const total = summarize([]);
  for (const summary of summaries)
    for (const key of Object.keys(total) as Array<keyof SeveritySummary>) total[key] += summary[key];
  return total;
}

export function summaryTotal(summary: SeveritySummary): number {
  return Object.values(summary).reduce((sum, n) => sum + n, 0);
}
