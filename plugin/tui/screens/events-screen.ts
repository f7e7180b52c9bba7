import { passesFilters, type WatchEvent } from '../watch-store.js';
import { age, findingWhere, type Row, type ScreenModel } from './screen-model.js';

const rowsMade = new WeakMap<WatchEvent, Row>();

/**
 * An event's row, made again only when its age reads differently: a frame drawn for another reason gets
 * the same row objects, which the list draws without working them out again (list-view.tsx).
 */
function eventRow(e: WatchEvent, now: Date): Row {
  const ago = age(e.finding.lastSeen, now);
  const made = rowsMade.get(e);
  if (made?.cells[7] === ago) return made;
  const row: Row = {
    key: e.finding.id,
    severity: e.finding.severity,
    cells: [
      e.receivedAt.slice(11, 19),
      e.finding.severity.toUpperCase(),
      e.finding.ruleId,
      findingWhere(e.finding),
      e.count > 1 ? `×${e.count}` : '1',
      e.finding.resource.node ?? '-',
      e.finding.scanner,
      ago,
    ],
    target: { kind: 'finding', finding: e.finding, count: e.count, receivedAt: e.receivedAt },
  };
  rowsMade.set(e, row);
  return row;
}

/** Live runtime detections and Falco alerts, newest first, one row per finding with its repeat count. */
export const eventsScreen: ScreenModel = {
  title: 'events',
  columns: [
    { title: 'TIME', min: 8, max: 8, priority: 4 },
    { title: 'SEVERITY', min: 8, max: 8, priority: 1 },
    { title: 'RULE', min: 12, priority: 2, cut: true },
    { title: 'NAMESPACE/POD/CONTAINER', min: 14, priority: 3, cut: true },
    { title: 'SEEN', min: 4, priority: 5, align: 'right' },
    { title: 'NODE', min: 6, priority: 6, cut: true },
    { title: 'SOURCE', min: 7, priority: 7, optional: true },
    { title: 'AGE', min: 3, priority: 8, align: 'right', optional: true },
  ],
  severityColumn: 1,
  rows(snapshot, now) {
    return snapshot.events
      .filter((e) => passesFilters(e.finding, snapshot.filters))
      .map((e) => eventRow(e, now));
  },
  empty: (s) =>
    s.events.length === 0
      ? 'no runtime events yet — waiting for the agents and Falco'
      : 'no event passes the filters (s: min severity, :ns all)',
};
