import { Box, Text } from 'ink';
import { fitColumn } from './printable.js';
import type { ScanSummary } from './watch-store.js';

/** The newest stored scans with their critical/high/medium/low counts. */
export function ScansPane({ scans, rows }: { scans: ScanSummary[]; rows: number }) {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text bold>recent scans C/H/M/L</Text>
      {scans.length === 0 ? <Text dimColor>none yet</Text> : null}
      {scans.slice(0, rows).map((scan) => (
        <Text key={scan.scanId}>
          {fitColumn((scan.finishedAt ?? 'running').slice(0, 19).replace('T', ' '), 19)}{' '}
          <Text color="redBright">{scan.summary.critical ?? 0}</Text>/
          <Text color="red">{scan.summary.high ?? 0}</Text>/
          <Text color="yellow">{scan.summary.medium ?? 0}</Text>/
          <Text color="blue">{scan.summary.low ?? 0}</Text> {fitColumn(scan.target, 60).trimEnd()}
        </Text>
      ))}
    </Box>
  );
}
