import { Text } from 'ink';
import { memo, useMemo, useRef } from 'react';
import { BlankLines } from './blank-lines.js';
import { useColour } from './colour.js';
import { type Column, fitCell, layoutColumns } from './column-layout.js';
import type { Row } from './screens/screen-model.js';
import { severityColour } from './severity-colour.js';

export interface ListViewProps {
  columns: Column[];
  rows: Row[];
  cursor: number;
  /** Lines for the rows (the heading is extra). */
  height: number;
  width: number;
  severityColumn?: number;
  empty: string;
}

/** The visible slice of the rows: the cursor kept in view, the last page full. */
export function windowStart(cursor: number, total: number, height: number): number {
  return Math.max(0, Math.min(cursor - Math.floor(height / 2), total - height));
}

/** Column widths, the same array as long as they stay the same, so rows drawn before need no redraw. */
function useStableWidths(columns: Column[], rows: Row[], width: number): number[] {
  const last = useRef<number[]>([]);
  return useMemo(() => {
    // One space of margin either side; columns are separated by one space.
    const widths = layoutColumns(
      columns,
      rows.map((r) => r.cells),
      width - 2,
    );
    const same = widths.length === last.current.length && widths.every((w, i) => w === last.current[i]);
    if (!same) last.current = widths;
    return last.current;
  }, [columns, rows, width]);
}

/** A row's visible cells, cut or padded to their widths (hidden columns left out). */
function fitCells(columns: Column[], widths: number[], cells: readonly string[]): string[] {
  const shown: string[] = [];
  columns.forEach((c, i) => {
    if (widths[i]) shown.push(fitCell(cells[i] ?? '', widths[i]!, c.align));
  });
  return shown;
}

interface ListRowProps {
  row: Row;
  columns: Column[];
  widths: number[];
  active: boolean;
  severityColumn?: number;
  colour: boolean;
}

/**
 * One line of the table as one string (and the severity cell in its colour): a frame redrawn for a new
 * event or a key does not lay out and style again the rows it already drew (React skips an unchanged row).
 */
const ListRow = memo(function ListRow({
  row,
  columns,
  widths,
  active,
  severityColumn,
  colour,
}: ListRowProps) {
  const cells = fitCells(columns, widths, row.cells);
  // Ink styles every character it is given: the padding at the end of a row is left off (the terminal
  // shows nothing there either), except on the cursor row, whose inverse bar runs the whole width.
  const end = (text: string) => (active ? text : text.trimEnd());
  const at =
    severityColumn === undefined || !widths[severityColumn]
      ? -1
      : widths.slice(0, severityColumn).filter(Boolean).length;
  if (at < 0)
    return (
      <Text inverse={active} dimColor={row.sub && !active} wrap="truncate">
        {end(` ${cells.join(' ')}`)}
      </Text>
    );
  const after = end(cells.slice(at + 1).join(' '));
  return (
    <Text inverse={active} dimColor={row.sub && !active} wrap="truncate">
      {` ${cells.slice(0, at).join(' ')}${at > 0 ? ' ' : ''}`}
      <Text color={severityColour(row.severity, colour)}>{after ? cells[at] : end(cells[at]!)}</Text>
      {after ? ` ${after}` : ''}
    </Text>
  );
});

/**
 * A k9s-style table: a bold heading, one line per row whatever the width (columns share it by priority,
 * see column-layout.ts), the cursor row in inverse. Only the rows in view are drawn.
 */
export function ListView({ columns, rows, cursor, height, width, severityColumn, empty }: ListViewProps) {
  const colour = useColour();
  const widths = useStableWidths(columns, rows, width);
  const first = windowStart(cursor, rows.length, height);
  const shown = rows.slice(first, first + height);
  return (
    <>
      <Text bold wrap="truncate">
        {` ${fitCells(
          columns,
          widths,
          columns.map((c) => c.title),
        ).join(' ')}`}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor wrap="truncate">
          {' '}
          {empty}
        </Text>
      ) : null}
      {shown.map((row, i) => (
        <ListRow
          key={row.key}
          row={row}
          columns={columns}
          widths={widths}
          active={first + i === cursor}
          severityColumn={severityColumn}
          colour={colour}
        />
      ))}
      <BlankLines count={height - shown.length - (rows.length === 0 ? 1 : 0)} />
    </>
  );
}
