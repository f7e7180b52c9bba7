import { passesFilters } from '../watch-store.js';
import { age, findingWhere, type ScreenModel } from './screen-model.js';

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
      .map((e) => ({
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
          age(e.finding.lastSeen, now),
        ],
        target: { kind: 'finding', finding: e.finding, count: e.count, receivedAt: e.receivedAt },
      }));
  },
  empty: (s) =>
    s.events.length === 0
      ? 'no runtime events yet — waiting for the agents and Falco'
      : 'no event passes the filters (s: min severity, :ns all)',
};
