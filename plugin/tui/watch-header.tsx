import { Box, Text } from 'ink';
import type { Severity } from '../../core/model/index.js';
import { printable } from './printable.js';
import type { Connection } from './watch-store.js';

const STATE_COLOUR: Record<Connection['state'], string> = {
  connecting: 'yellow',
  connected: 'green',
  reconnecting: 'yellow',
  closed: 'red',
};

export interface WatchHeaderProps {
  target: string;
  user?: string;
  connection: Connection;
  bySeverity: Record<Severity, number>;
}

/** Where the watch is connected, as whom, in what state, and how many events came in. */
export function WatchHeader({ target, user, connection, bySeverity }: WatchHeaderProps) {
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text>
        <Text bold>seco watch</Text> {printable(target)}
        {user ? <Text dimColor> as {printable(user)}</Text> : null}
      </Text>
      <Text>
        <Text color={STATE_COLOUR[connection.state]}>● {connection.state}</Text>
        {connection.message ? <Text dimColor> {printable(connection.message)}</Text> : null}
        <Text>
          {'   events '}C {bySeverity.critical} H {bySeverity.high} M {bySeverity.medium} L {bySeverity.low} I{' '}
          {bySeverity.info}
        </Text>
      </Text>
    </Box>
  );
}
