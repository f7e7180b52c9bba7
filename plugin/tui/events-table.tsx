import { Box, Text } from 'ink';
import { fitColumn } from './printable.js';
import { SEVERITY_COLOUR } from './severity-colour.js';
import type { WatchEvent } from './watch-store.js';

export interface EventsTableProps {
  events: WatchEvent[];
  selected: number;
  /** Rows that fit on the screen; the window scrolls to keep the selection in it. */
  rows: number;
}

// 97 columns in all: an 80-column terminal cuts the node column, a 100-column one shows everything.
const COLUMNS = { time: 8, severity: 8, rule: 28, where: 30, node: 12 };

/** "namespace/pod/container", the way a runtime event is attributed. */
export function eventWhere(event: WatchEvent): string {
  const r = event.finding.resource;
  return [r.namespace, r.name, r.container].filter(Boolean).join('/') || r.image || '-';
}

function Row({ event, active }: { event: WatchEvent; active: boolean }) {
  const f = event.finding;
  return (
    <Text inverse={active}>
      {fitColumn(event.receivedAt.slice(11, 19), COLUMNS.time)}{' '}
      <Text color={SEVERITY_COLOUR[f.severity]}>{fitColumn(f.severity.toUpperCase(), COLUMNS.severity)}</Text>{' '}
      {fitColumn(f.ruleId, COLUMNS.rule)} {fitColumn(eventWhere(event), COLUMNS.where)}{' '}
      {fitColumn(f.resource.node ?? '-', COLUMNS.node)} {event.count > 1 ? `×${event.count}` : ''}
    </Text>
  );
}

/** Runtime events, newest first, one row per finding with its repeat count. */
export function EventsTable({ events, selected, rows }: EventsTableProps) {
  const first = Math.max(0, Math.min(selected - rows + 1, events.length - rows));
  const window = events.slice(first, first + rows);
  return (
    <Box flexDirection="column" paddingX={1}>
      <Text bold>
        {fitColumn('TIME', COLUMNS.time)} {fitColumn('SEVERITY', COLUMNS.severity)}{' '}
        {fitColumn('RULE', COLUMNS.rule)} {fitColumn('NAMESPACE/POD/CONTAINER', COLUMNS.where)}{' '}
        {fitColumn('NODE', COLUMNS.node)} {'SEEN'}
      </Text>
      {events.length === 0 ? (
        <Text dimColor>no runtime events yet — waiting for the agents and Falco</Text>
      ) : null}
      {window.map((event, i) => (
        <Row key={event.finding.id} event={event} active={first + i === selected} />
      ))}
    </Box>
  );
}
