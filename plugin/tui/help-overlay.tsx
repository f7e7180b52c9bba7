import { Text } from 'ink';
import { BlankLines } from './blank-lines.js';

/** Every key the watch takes, as the `?` overlay lists them. */
export const KEYS: ReadonlyArray<[string, string]> = [
  ['1 2 3 4', 'events, findings, scans, nodes'],
  [':name ⏎', 'switch screen (:events :findings :scans :nodes, any prefix)'],
  [':ns NAME ⏎', 'only that namespace (:ns all — every namespace)'],
  ['/text', 'filter rows on any column as you type; ⏎ keeps it, esc clears'],
  ['↑ ↓  k j', 'move the cursor (scroll in details)'],
  ['PgUp PgDn', 'a page up or down'],
  ['g G', 'first row, last row'],
  ['⏎', 'details; on a scan: its findings and problems'],
  ['esc', 'back: close details, leave a scan, clear the filter'],
  ['s', 'minimum severity: info → low → medium → high → critical'],
  ['o', 'findings: sort by severity, namespace, resource, rule, scanner'],
  ['?', 'this help (esc or ? closes it)'],
  ['q  ctrl-c', 'quit and restore the terminal'],
];

/** The `?` overlay: every key, `height` lines tall. */
export function HelpOverlay({ height }: { height: number }) {
  const lines = KEYS.slice(0, Math.max(0, height - 1));
  return (
    <>
      <Text bold wrap="truncate">
        {' '}
        keys
      </Text>
      {lines.map(([key, what]) => (
        <Text key={key} wrap="truncate">
          {' '}
          <Text bold>{key.padEnd(12)}</Text>
          {what}
        </Text>
      ))}
      <BlankLines count={height - 1 - lines.length} />
    </>
  );
}
