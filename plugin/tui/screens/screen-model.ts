import type { Finding, Severity } from '../../../core/model/index.js';
import type { Column } from '../column-layout.js';
import type { WatchSnapshot } from '../watch-store.js';

/** What a row opens with enter: a finding's or event's details, a scan's findings, a node's details. */
export type RowTarget =
  | { kind: 'finding'; finding: Finding; count?: number; receivedAt?: string }
  | { kind: 'scan'; scanId: string }
  | { kind: 'node'; node: string };

/** One table row: its cells in column order, plus what colours it and what enter opens. */
export interface Row {
  key: string;
  cells: string[];
  severity?: Severity;
  /** A secondary row (a scan's per-node progress), drawn dimmer. */
  sub?: boolean;
  target?: RowTarget;
}

/** A screen of the watch: its columns, and its rows from a snapshot (before the `/` filter). */
export interface ScreenModel {
  title: string;
  columns: Column[];
  /** The column drawn in the row's severity colour. */
  severityColumn?: number;
  rows(snapshot: WatchSnapshot, now: Date): Row[];
  /** What an empty list says. */
  empty(snapshot: WatchSnapshot): string;
}

const filtered = new WeakMap<readonly Row[], { query: string; rows: Row[] }>();
const haystacks = new WeakMap<Row, string>();

/** A row's cells in lower case, joined by a character no query holds: what `/` searches. */
function haystack(row: Row): string {
  let text = haystacks.get(row);
  if (text === undefined) {
    text = row.cells.join('\u0000').toLowerCase();
    haystacks.set(row, text);
  }
  return text;
}

/**
 * The `/` filter: a row stays when any of its cells contains the text, case-insensitively. The last
 * answer per list is kept, so a frame redrawn for another reason does not filter 10,000 rows again, and
 * a query typed one more character on searches only what the shorter one kept.
 */
export function filterRows(rows: readonly Row[], query: string): Row[] {
  const q = query.trim().toLowerCase().replaceAll('\u0000', '');
  if (!q) return rows as Row[];
  const last = filtered.get(rows);
  if (last?.query === q) return last.rows;
  const from = last && q.startsWith(last.query) ? last.rows : rows;
  const kept = from.filter((row) => haystack(row).includes(q));
  filtered.set(rows, { query: q, rows: kept });
  return kept;
}

/** Where the cursor is: on its remembered row if that is still listed, else at its index, clamped. */
export function cursorIndex(rows: readonly Row[], index: number, key: string | undefined): number {
  if (key !== undefined) {
    const at = rows.findIndex((r) => r.key === key);
    if (at >= 0) return at;
  }
  return Math.max(0, Math.min(index, rows.length - 1));
}

/** "3s", "4m", "2h", "5d" ago, for heartbeats and times in narrow columns. */
export function age(iso: string | undefined, now: Date): string {
  if (!iso) return '-';
  const seconds = Math.max(0, Math.round((now.getTime() - Date.parse(iso)) / 1000));
  if (!Number.isFinite(seconds)) return '-';
  if (seconds < 60) return `${seconds}s`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h`;
  return `${Math.floor(seconds / 86_400)}d`;
}

/** "namespace/pod/container", the way a finding is attributed. */
export function findingWhere(finding: Finding): string {
  const r = finding.resource;
  return [r.namespace, r.name, r.container].filter(Boolean).join('/') || r.image || r.node || '-';
}
