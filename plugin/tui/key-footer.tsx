import { Text } from 'ink';
import type { Severity } from '../../core/model/index.js';

/** The keys, and the filter they change. */
export function KeyFooter({ minSeverity, detailOpen }: { minSeverity: Severity; detailOpen: boolean }) {
  return (
    <Text dimColor>
      {' '}
      ↑/↓ select enter {detailOpen ? 'back' : 'details'} s min severity: {minSeverity} q quit
    </Text>
  );
}
