import { printable } from './printable.js';

/** A table column: what it is called, how narrow it may get, and how much it matters. */
export interface Column {
  title: string;
  /** Narrowest useful width when it is cut. */
  min: number;
  /** Widest it is worth drawing. */
  max?: number;
  /** 1 matters most; ties go to the column further left. */
  priority: number;
  /** Free text (names, rules, titles) that may be cut with `…`; other columns are shown whole or not at all. */
  cut?: boolean;
  /** Nice to have: hidden before any other column is cut. */
  optional?: boolean;
  align?: 'left' | 'right';
}

/** Rows looked at to size the columns: enough for a screen's worth and then some, cheap at 10,000 rows. */
const SAMPLE_ROWS = 500;

/**
 * Shares `width` between columns, k9s-style. Every column gets what its content needs; when that does not
 * fit: (1) the optional columns go, least important first; (2) free-text columns are cut with `…` or
 * hidden, least important first (see below); (3) the other columns go, least important first; (4) only then
 * is the most important column cut below its minimum. Hidden columns have width 0; `gap` spaces
 * separate visible ones.
 */
export function layoutColumns(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  width: number,
  gap = 1,
): number[] {
  const sample = rows.length > SAMPLE_ROWS ? rows.slice(0, SAMPLE_ROWS) : rows;
  const widths = columns.map((c, i) => {
    // A long title is cut before it widens a column of short values.
    let w = Math.min(c.title.length, Math.max(c.min, 6));
    for (const row of sample) w = Math.max(w, row[i]?.length ?? 0);
    return Math.min(w, c.max ?? w);
  });
  const over = () => {
    const visible = widths.filter((w) => w > 0);
    return visible.reduce((a, b) => a + b, 0) + gap * Math.max(0, visible.length - 1) - width;
  };
  const order = columns.map((c, i) => ({ c, i })).sort((a, b) => b.c.priority - a.c.priority || b.i - a.i);
  const most = order.at(-1)!.i;
  for (const { c, i } of order) if (over() > 0 && c.optional && i !== most) widths[i] = 0;
  // A cut column gives what is needed if it can. If it cannot: when the more important cut columns can
  // absorb it all, it stays whole (a short namespace beats a long name cut a little more); else, outside
  // the three most important, it is hidden rather than left as a stub (`ip-10…`); the three most
  // important are cut to their minimum.
  const top = new Set(order.slice(-3).map(({ i }) => i));
  const slack = (j: number) =>
    columns[j]!.cut && widths[j]! > 0 ? Math.max(0, widths[j]! - columns[j]!.min) : 0;
  order.forEach(({ c, i }, at) => {
    if (over() <= 0 || !c.cut || widths[i] === 0) return;
    if (widths[i]! - over() >= c.min) {
      widths[i] = widths[i]! - over();
      return;
    }
    const above = order.slice(at + 1).reduce((sum, { i: j }) => sum + slack(j), 0);
    if (above >= over()) return;
    if (top.has(i)) widths[i] = Math.min(widths[i]!, Math.max(c.min, 1));
    else widths[i] = 0;
  });
  for (const { i } of order) if (over() > 0 && i !== most) widths[i] = 0;
  if (over() > 0) widths[most] = Math.max(1, widths[most]! - over());
  // Room left: titles cut above are given back their length, most important column first.
  for (const { c, i } of [...order].reverse())
    if (widths[i]! > 0 && widths[i]! < c.title.length)
      widths[i] = Math.min(c.title.length, widths[i]! - over());
  return widths;
}

/** Cuts `text` to `width` columns with `…`, or pads it; control characters never reach the terminal. */
export function fitCell(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const clean = printable(text);
  if (clean.length > width) return width <= 1 ? clean.slice(0, width) : `${clean.slice(0, width - 1)}…`;
  return align === 'right' ? clean.padStart(width) : clean.padEnd(width);
}
