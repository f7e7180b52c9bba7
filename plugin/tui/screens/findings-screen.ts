import { compareSeverity, type Finding } from '../../../core/model/index.js';
import type { FindingOrder } from '../ui-state.js';
import { passesFilters, type WatchSnapshot } from '../watch-store.js';
import type { Row, ScreenModel } from './screen-model.js';

/** `Deployment/web/nginx`: the resource a finding is on, without its namespace (a column of its own). */
export function resourceName(f: Finding): string {
  const r = f.resource;
  return [r.kind, r.name, r.container].filter(Boolean).join('/') || r.image || r.node || '-';
}

const KEYS: Record<FindingOrder, (f: Finding) => string> = {
  severity: () => '',
  namespace: (f) => f.resource.namespace ?? '',
  resource: resourceName,
  rule: (f) => f.ruleId,
  scanner: (f) => f.scanner,
};

/**
 * Sorted (and so grouped) by the chosen field, then by severity, namespace, resource and rule, the way a
 * report is read: the worst first within each group.
 */
export function orderFindings(findings: readonly Finding[], order: FindingOrder): Finding[] {
  const key = KEYS[order];
  const decorated = findings.map((f) => ({
    f,
    k: key(f),
    tail: `${f.resource.namespace ?? ''}\u0000${resourceName(f)}\u0000${f.ruleId}`,
  }));
  decorated.sort(
    (a, b) =>
      (a.k < b.k ? -1 : a.k > b.k ? 1 : 0) ||
      compareSeverity(a.f.severity, b.f.severity) ||
      (a.tail < b.tail ? -1 : a.tail > b.tail ? 1 : 0),
  );
  return decorated.map((d) => d.f);
}

/** The findings the screen lists: one opened scan's, or the cluster's latest; through the filters. */
export function listedFindings(snapshot: WatchSnapshot): Finding[] {
  const { ui, openedScan } = snapshot;
  const source =
    ui.scanFocus && openedScan?.scanId === ui.scanFocus ? openedScan.findings : (snapshot.findings ?? []);
  return source.filter((f) => passesFilters(f, snapshot.filters));
}

const cache = new WeakMap<object, { order: FindingOrder; key: unknown; rows: Row[] }>();

/** Every open finding of the cluster's latest scans (or of one scan), worst first. */
export const findingsScreen: ScreenModel = {
  title: 'findings',
  columns: [
    { title: 'SEVERITY', min: 8, max: 8, priority: 1 },
    { title: 'NAMESPACE', min: 6, priority: 4, cut: true },
    { title: 'RESOURCE', min: 12, priority: 3, cut: true },
    { title: 'RULE', min: 10, priority: 2, cut: true },
    { title: 'SCANNER', min: 6, priority: 6, optional: true },
    { title: 'FIXED IN', min: 6, max: 24, priority: 7, cut: true, optional: true },
    { title: 'TITLE', min: 12, priority: 5, cut: true },
  ],
  severityColumn: 0,
  rows(snapshot) {
    // 10,000 findings are sorted once per change of list, order or filter, not per frame.
    const base = snapshot.ui.scanFocus ? snapshot.openedScan : snapshot.findings;
    const key = [snapshot.filters, snapshot.ui.scanFocus];
    const cached = base ? cache.get(base) : undefined;
    if (cached && cached.order === snapshot.ui.order && cached.key === JSON.stringify(key))
      return cached.rows;
    const rows = orderFindings(listedFindings(snapshot), snapshot.ui.order).map((f) => ({
      key: f.id,
      severity: f.severity,
      cells: [
        f.severity.toUpperCase(),
        f.resource.namespace ?? '-',
        resourceName(f),
        f.ruleId,
        f.scanner,
        f.package?.fixedVersion ?? '',
        f.title,
      ],
      target: { kind: 'finding' as const, finding: f },
    }));
    if (base) cache.set(base, { order: snapshot.ui.order, key: JSON.stringify(key), rows });
    return rows;
  },
  empty(snapshot) {
    const { ui, openedScan } = snapshot;
    if (ui.scanFocus) {
      if (openedScan?.state === 'loading') return `loading scan ${ui.scanFocus}…`;
      if (openedScan?.state === 'failed')
        return `scan ${ui.scanFocus}: ${openedScan.error ?? 'not available'}`;
      return `scan ${ui.scanFocus} has no open finding at these filters`;
    }
    if (snapshot.findings === undefined) return 'loading the findings of the latest scans…';
    if (snapshot.findings.length === 0) return 'no stored scan has open findings — run kubectl seco scan';
    return 'no finding passes the filters (s: min severity, :ns all)';
  },
};
