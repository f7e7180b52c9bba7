import { Box, Text } from 'ink';
import type { Reference } from '../../core/model/index.js';
import { eventWhere } from './events-table.js';
import { printable } from './printable.js';
import { SEVERITY_COLOUR } from './severity-colour.js';
import type { WatchEvent } from './watch-store.js';

function referenceLine(ref: Reference): string {
  return `${ref.kind.toUpperCase()} ${ref.id}${ref.url ? ` ${ref.url}` : ''}`;
}

function Field({ label, value }: { label: string; value?: string }) {
  if (!value) return null;
  return (
    <Text>
      <Text bold>{label.padEnd(12)}</Text>
      {printable(value)}
    </Text>
  );
}

/**
 * One event in full. Evidence is shown exactly as the finding holds it: secrets were masked where the
 * finding was made, and nothing here looks further.
 */
export function EventDetail({ event }: { event: WatchEvent }) {
  const f = event.finding;
  const r = f.resource;
  return (
    <Box flexDirection="column" borderStyle="single" paddingX={1}>
      <Text>
        <Text color={SEVERITY_COLOUR[f.severity]} bold>
          {f.severity.toUpperCase()}
        </Text>{' '}
        {printable(f.title)}
      </Text>
      <Field label="rule" value={`${f.ruleId} (${f.scanner})`} />
      <Field label="where" value={eventWhere(event)} />
      <Field label="node" value={r.node} />
      <Field label="image" value={r.image} />
      <Field label="seen" value={`${event.count}× — first ${f.firstSeen}, last ${f.lastSeen}`} />
      <Field label="evidence" value={f.evidence} />
      <Field label="description" value={f.description} />
      <Field label="remediation" value={f.remediation} />
      {f.references.length > 0 ? <Text bold>references</Text> : null}
      {f.references.map((ref) => (
        <Text key={`${ref.kind}:${ref.id}`}> {printable(referenceLine(ref))}</Text>
      ))}
    </Box>
  );
}
