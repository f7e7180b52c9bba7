import { Text } from 'ink';
import { SEVERITIES } from '../../core/model/index.js';
import { useColour } from './colour.js';
import { printable } from './printable.js';
import { severityColour } from './severity-colour.js';
import { SCREENS } from './ui-state.js';
import type { WatchSnapshot } from './watch-store.js';

const STATE_COLOUR = { connecting: 'yellow', connected: 'green', reconnecting: 'yellow', closed: 'red' };

/**
 * Two lines that stay at the top: where the watch is connected, as whom, and the event counts; then the
 * screens (current one in inverse) and the filters in force.
 */
export function HeaderBar({ snapshot, counts }: { snapshot: WatchSnapshot; counts: string }) {
  const colour = useColour();
  const { connection, ui, filters } = snapshot;
  const filter = ui.query[ui.screen];
  return (
    <>
      <Text wrap="truncate">
        <Text bold> seco watch</Text>{' '}
        <Text color={colour ? STATE_COLOUR[connection.state] : undefined}>● {connection.state}</Text>
        {'  '}
        {SEVERITIES.slice(0, 4).map((s) => (
          <Text key={s} color={severityColour(s, colour)}>
            {s[0]!.toUpperCase()} {snapshot.bySeverity[s]}{' '}
          </Text>
        ))}
        <Text dimColor>events</Text> {printable(snapshot.target)}
        {snapshot.user ? <Text dimColor> as {printable(snapshot.user)}</Text> : null}
      </Text>
      <Text wrap="truncate">
        {SCREENS.map((name, i) => (
          <Text key={name} inverse={ui.screen === name} bold={ui.screen === name}>
            {` ${i + 1} ${name} `}
          </Text>
        ))}
        <Text dimColor>
          {' '}
          {`${counts} ≥${filters.minSeverity} ns:${filters.namespaces.length ? filters.namespaces.join(',') : 'all'}`}
          {ui.screen === 'findings' ? ` by:${ui.order}` : ''}
        </Text>
        {filter ? <Text color={colour ? 'cyan' : undefined}> /{printable(filter)}</Text> : null}
      </Text>
    </>
  );
}

/** Shown while the connection is down: what was received stays on screen, and says it is not live. */
export function DisconnectBanner({ snapshot }: { snapshot: WatchSnapshot }) {
  const colour = useColour();
  const { state, message } = snapshot.connection;
  if (state === 'connected' || state === 'connecting') return null;
  return (
    <Text wrap="truncate" inverse color={colour ? 'yellow' : undefined}>
      {` ${state === 'closed' ? 'disconnected' : 'connection lost — reconnecting'}${
        message ? `: ${printable(message)}` : ''
      } (showing what came before) `}
    </Text>
  );
}
