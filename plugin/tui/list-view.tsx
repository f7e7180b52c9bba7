import { Text } from 'ink';
import { useMemo } from 'react';
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

/**
 * A k9s-style table: a bold heading, one line per row whatever the width (columns share it by priority,
 * see column-layout.ts), the cursor row in inverse.
 */
export function ListView({ columns, rows, cursor, height, width, severityColumn, empty }: ListViewProps) {
  const colour = useColour();
  // One space of margin either side; columns are separated by one space.
  const widths = useMemo(
    () =>
      layoutColumns(
        columns,
        rows.map((r) => r.cells),
        width - 2,
      ),
    [columns, rows, width],
  );
  const line = (cells: readonly string[]) =>
    columns
      .map((c, i) => (widths[i] ? fitCell(cells[i] ?? '', widths[i]!, c.align) : undefined))
      .filter((cell) => cell !== undefined);
  const first = windowStart(cursor, rows.length, height);
  const shown = rows.slice(first, first + height);
  return (
    <>
      <Text bold wrap="truncate">
        {' '}
        {line(columns.map((c) => c.title)).join(' ')}
      </Text>
      {rows.length === 0 ? (
        <Text dimColor wrap="truncate">
          {' '}
          {empty}
        </Text>
      ) : null}
      {shown.map((row, i) => {
        const cells = line(row.cells);
        const sevAt =
          severityColumn === undefined ? -1 : widths.slice(0, severityColumn).filter(Boolean).length;
        const active = first + i === cursor;
        return (
          <Text key={row.key} inverse={active} dimColor={row.sub && !active} wrap="truncate">
            {' '}
            {cells.map((cell, j) => (
              <Text
                key={String(j)}
                color={
                  j === sevAt && widths[severityColumn!] ? severityColour(row.severity, colour) : undefined
                }
              >
                {j > 0 ? ' ' : ''}
                {cell}
              </Text>
            ))}
          </Text>
        );
      })}
      {Array.from({ length: Math.max(0, height - shown.length - (rows.length === 0 ? 1 : 0)) }, (_, i) => (
        // Blank lines keep the footer on the last line and every frame one height, so each covers the last.
        // biome-ignore lint/suspicious/noArrayIndexKey: filler lines have no identity
        <Text key={`pad-${i}`}> </Text>
      ))}
    </>
  );
}
