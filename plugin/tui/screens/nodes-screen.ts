import type { ScreenModel } from './screen-model.js';
import { age } from './screen-model.js';

/** Agents by node: alive or not, version, runtime sensor, last heartbeat, queued jobs, recent events. */
export const nodesScreen: ScreenModel = {
  title: 'nodes',
  columns: [
    { title: 'NODE', min: 8, priority: 1, cut: true },
    { title: 'AGENT', min: 7, max: 8, priority: 2 },
    { title: 'SENSOR', min: 6, max: 10, priority: 4 },
    { title: 'HEARTBEAT', min: 9, max: 9, priority: 3, align: 'right' },
    { title: 'QUEUED', min: 6, max: 6, priority: 6, align: 'right' },
    { title: 'EVENTS C H M L', min: 7, priority: 5 },
    { title: 'VERSION', min: 5, max: 16, priority: 7, cut: true, optional: true },
  ],
  // An agent without a recent heartbeat is drawn in the high colour.
  severityColumn: 1,
  rows(snapshot, now) {
    return snapshot.nodes.map((n) => ({
      key: n.node,
      severity: n.online ? undefined : 'high',
      cells: [
        n.node,
        n.online ? 'online' : n.lastSeen ? 'offline' : 'none',
        n.sensor ?? '-',
        n.lastSeen ? `${age(n.lastSeen, now)} ago` : '-',
        String(n.queuedJobs),
        `${n.events.critical ?? 0} ${n.events.high ?? 0} ${n.events.medium ?? 0} ${n.events.low ?? 0}`,
        n.agentVersion ?? '-',
      ],
      target: { kind: 'node', node: n.node },
    }));
  },
  empty: (s) => (s.nodesError ? `nodes: ${s.nodesError}` : 'no agent has sent a heartbeat yet'),
};
