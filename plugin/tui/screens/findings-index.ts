import { type Finding, SEVERITIES } from '../../../core/model/index.js';
import type { FindingOrder } from '../ui-state.js';
import { passesFilters, type WatchFilters } from '../watch-store.js';
import type { Row } from './screen-model.js';

/** `Deployment/web/nginx`: the resource a finding is on, without its namespace (a column of its own). */
export function resourceName(f: Finding): string {
  const r = f.resource;
  return [r.kind, r.name, r.container].filter(Boolean).join('/') || r.image || r.node || '-';
}

/** One finding with its row and sort keys, worked out once per list of findings. */
interface Entry {
  finding: Finding;
  row: Row;
  /** Its severity's place, worst first (SEVERITIES is ordered critical → info). */
  rank: number;
  keys: Record<FindingOrder, string>;
  /** Namespace, resource and rule: the order within a group of the same severity. */
  tail: string;
}

function entryOf(f: Finding): Entry {
  const resource = resourceName(f);
  const namespace = f.resource.namespace ?? '';
  return {
    finding: f,
    row: {
      key: f.id,
      severity: f.severity,
      cells: [
        f.severity.toUpperCase(),
        f.resource.namespace ?? '-',
        resource,
        f.ruleId,
        f.scanner,
        f.package?.fixedVersion ?? '',
        f.title,
      ],
      target: { kind: 'finding', finding: f },
    },
    rank: SEVERITIES.indexOf(f.severity),
    keys: { severity: '', namespace, resource, rule: f.ruleId, scanner: f.scanner },
    tail: `${namespace}\u0000${resource}\u0000${f.ruleId}`,
  };
}

const byString = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * One list of findings (the cluster's latest, or an opened scan's) as the findings screen lists it:
 * each finding's row is built once, each order sorted once (the first time it is asked for), and a
 * change of filters is one pass over the sorted list. Keys never wait for a sort of 10,000 findings
 * they already had (bench:tui, docs/benchmarks.md).
 */
export class FindingsIndex {
  private readonly entries: Entry[];
  private readonly sorted = new Map<FindingOrder, Entry[]>();
  private last?: { order: FindingOrder; filters: string; rows: Row[] };

  constructor(findings: readonly Finding[]) {
    this.entries = findings.map(entryOf);
  }

  /** The rows through the min-severity and namespace filters, in `order`; the last answer is kept. */
  rows(order: FindingOrder, filters: WatchFilters): Row[] {
    const key = `${filters.minSeverity}\u0000${filters.namespaces.join('\u0000')}`;
    if (this.last?.order === order && this.last.filters === key) return this.last.rows;
    const rows: Row[] = [];
    for (const e of this.sortedBy(order)) if (passesFilters(e.finding, filters)) rows.push(e.row);
    this.last = { order, filters: key, rows };
    return rows;
  }

  /**
   * Sorted (and so grouped) by the chosen field, then by severity, namespace, resource and rule, the way
   * a report is read: the worst first within each group.
   */
  private sortedBy(order: FindingOrder): Entry[] {
    let sorted = this.sorted.get(order);
    if (!sorted) {
      sorted = [...this.entries].sort(
        (a, b) => byString(a.keys[order], b.keys[order]) || a.rank - b.rank || byString(a.tail, b.tail),
      );
      this.sorted.set(order, sorted);
    }
    return sorted;
  }
}

const indexes = new WeakMap<readonly Finding[], FindingsIndex>();

/** The index of this list of findings (the store replaces the list when it changes, never edits it). */
export function findingsIndex(findings: readonly Finding[]): FindingsIndex {
  let index = indexes.get(findings);
  if (!index) {
    index = new FindingsIndex(findings);
    indexes.set(findings, index);
  }
  return index;
}
