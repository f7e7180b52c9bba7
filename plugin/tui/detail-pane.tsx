import { Text } from 'ink';
import { BlankLines } from './blank-lines.js';
import { useColour } from './colour.js';
import type { DetailLine } from './detail-lines.js';
import { severityColour } from './severity-colour.js';

/** The selected row in full, scrolled by `scroll` lines, `height` lines tall; the last says when there is more. */
export function DetailPane({
  lines,
  height,
  scroll,
}: {
  lines: DetailLine[];
  height: number;
  scroll: number;
}) {
  const colour = useColour();
  const start = Math.max(0, Math.min(scroll, lines.length - height));
  const more = lines.length - start > height;
  const shown = lines.slice(start, start + (more ? height - 1 : height));
  return (
    <>
      {shown.map((line, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: lines are positional, redrawn whole
        <Text key={i} wrap="truncate" bold={line.bold} color={severityColour(line.severity, colour)}>
          {' '}
          {line.label ? <Text bold>{line.label.padEnd(13)}</Text> : null}
          {line.text}
        </Text>
      ))}
      {more ? (
        <Text dimColor wrap="truncate">
          {' '}
          ↓ {lines.length - start - height + 1} more lines (j/↓)
        </Text>
      ) : null}
      <BlankLines count={height - shown.length - (more ? 1 : 0)} />
    </>
  );
}
