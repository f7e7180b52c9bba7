import { describe, expect, it } from '@jest/globals';
import { compareSeverity, type Finding, SEVERITIES } from '../../../../../core/model/index.js';
import { findingsIndex, resourceName } from '../../../../../plugin/tui/screens/findings-index.js';
import { filterRows } from '../../../../../plugin/tui/screens/screen-model.js';
import { FINDING_ORDERS, type FindingOrder } from '../../../../../plugin/tui/ui-state.js';
import type { WatchFilters } from '../../../../../plugin/tui/watch-store.js';
import { imageFinding, runtimeFinding } from '../runtime-finding.js';

/** 300 findings over a few namespaces, workloads, rules and scanners, severities mixed. */
function spread(): Finding[] {
  return Array.from({ length: 300 }, (_, i) => {
    const make = i % 3 === 0 ? runtimeFinding : imageFinding;
    return make(String(i + 1), SEVERITIES[(i * 7) % 5]!, {
      ...(i % 4 === 0 ? { ruleId: `rule-${i % 11}` } : {}),
      resource: { namespace: `ns-${i % 6}`, kind: 'Deployment', name: `app-${i % 13}`, container: 'c' },
    });
  });
}

/** The order as the findings screen defines it, written plainly: field, then severity, namespace, resource, rule. */
function expected(findings: Finding[], order: FindingOrder): string[] {
  const field: Record<FindingOrder, (f: Finding) => string> = {
    severity: () => '',
    namespace: (f) => f.resource.namespace ?? '',
    resource: resourceName,
    rule: (f) => f.ruleId,
    scanner: (f) => f.scanner,
  };
  const text = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...findings]
    .sort(
      (a, b) =>
        text(field[order](a), field[order](b)) ||
        compareSeverity(a.severity, b.severity) ||
        text(a.resource.namespace ?? '', b.resource.namespace ?? '') ||
        text(resourceName(a), resourceName(b)) ||
        text(a.ruleId, b.ruleId),
    )
    .map((f) => f.id);
}

const all: WatchFilters = { minSeverity: 'info', namespaces: [] };

describe('findings index', () => {
  it('lists every order the way a report is read: the field, then the worst first', () => {
    const findings = spread();
    for (const order of FINDING_ORDERS)
      expect(
        findingsIndex(findings)
          .rows(order, all)
          .map((r) => r.key),
      ).toEqual(expected(findings, order));
  });

  it('applies min severity and namespaces to the sorted list, and widens again', () => {
    const findings = spread();
    const index = findingsIndex(findings);
    const high = index.rows('namespace', { minSeverity: 'high', namespaces: ['ns-2', 'ns-4'] });
    expect(high.map((r) => r.key)).toEqual(
      expected(findings, 'namespace').filter((id) => {
        const f = findings.find((x) => x.id === id)!;
        return ['critical', 'high'].includes(f.severity) && ['ns-2', 'ns-4'].includes(f.resource.namespace!);
      }),
    );
    expect(index.rows('namespace', all)).toHaveLength(300);
  });

  it('builds a finding row once: the same row whatever the order or filter', () => {
    const index = findingsIndex(spread());
    const bySeverity = index.rows('severity', all);
    const byRule = index.rows('rule', { minSeverity: 'medium', namespaces: [] });
    const row = byRule[0]!;
    expect(bySeverity).toContain(row);
    expect(row.cells).toEqual([
      row.severity!.toUpperCase(),
      expect.stringMatching(/^ns-\d$/),
      expect.stringMatching(/^Deployment\/app-\d+\/c$/),
      expect.any(String),
      expect.stringMatching(/^(image|runtime)$/),
      expect.any(String),
      expect.any(String),
    ]);
  });

  it('gives a new list of findings an index of its own', () => {
    const first = spread();
    const second = first.slice(0, 10);
    expect(findingsIndex(first).rows('severity', all)).toHaveLength(300);
    expect(findingsIndex(second).rows('severity', all)).toHaveLength(10);
  });
});

describe('/ filter', () => {
  const rows = findingsIndex(spread()).rows('severity', all);
  const plain = (q: string) => rows.filter((r) => r.cells.some((c) => c.toLowerCase().includes(q)));

  it('keeps rows with a cell holding the text, whatever its case, as typed on and back', () => {
    for (const q of ['n', 'ns', 'ns-3', 'ns-', 'APP-1', 'app-12', 'app-1', '']) {
      const kept = filterRows(rows, q);
      expect(kept).toEqual(q ? plain(q.toLowerCase()) : rows);
    }
  });

  it('never matches across two cells', () => {
    expect(filterRows(rows, 'c image')).toEqual([]);
    expect(filterRows(rows, 'c\u0000image')).toEqual(plain('cimage'));
  });
});
