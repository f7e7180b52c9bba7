import pc from 'picocolors';
import { alignColumns } from '../output/align-columns.js';
import type { Health, StatusReport } from './status-report.js';

const short = (commit: string) => (/^[0-9a-f]{40}$/.test(commit) ? commit.slice(0, 12) : commit);
const days = (seconds: number) =>
  seconds < 2 * 86_400 ? `${(seconds / 3600).toFixed(1)} hours` : `${(seconds / 86_400).toFixed(1)} days`;

/** The human view of a status report: workloads, the aggregator's checks, agents per node, problems. */
export function renderStatusTable(report: StatusReport, color = false): string {
  const c = pc.createColors(color);
  const paint: Record<Health, (s: string) => string> = {
    healthy: c.green,
    degraded: c.yellow,
    'not-installed': c.red,
    unreachable: c.red,
  };
  const lines = [
    `seco in namespace ${report.namespace}: ${paint[report.health](report.health.toUpperCase())} (client ${report.client.version}, commit ${short(report.client.commit)})`,
  ];
  if (report.components.length > 0) {
    lines.push(
      '',
      ...alignColumns([
        ['COMPONENT', 'KIND', 'READY', 'VERSION', 'IMAGE'],
        ...report.components.map((k) =>
          k.found
            ? [k.name, k.kind ?? '', `${k.ready}/${k.desired}`, k.version ?? '-', k.images.join(', ')]
            : [k.name, '-', '-', '-', `not found (${k.object})`],
        ),
      ]),
    );
  }
  if (report.bus) {
    const { auth, tls, missing } = report.bus;
    lines.push(
      '',
      auth && tls
        ? 'BUS  NATS with per-component users and TLS'
        : c.yellow(
            `BUS  NATS ${auth ? 'with' : 'WITHOUT'} users, ${tls ? 'with' : 'WITHOUT'} TLS: ${missing.join('; ')}`,
          ),
    );
  }
  const { aggregator } = report;
  const status = aggregator.status;
  if (status) {
    const db = status.vulnDb;
    lines.push(
      '',
      `AGGREGATOR  replica ${status.replica}, ${status.version} (commit ${short(status.commit)}), ${status.ready ? 'ready' : c.yellow('not ready')}, via ${aggregator.via}`,
      ...alignColumns(
        [
          [
            'NATS',
            status.nats.connected
              ? `connected (round trip ${status.nats.roundTripMs ?? 0} ms)`
              : c.red(`unreachable: ${status.nats.error ?? ''}`),
          ],
          ['S3', status.s3.reachable ? 'reachable' : c.red(`unreachable: ${status.s3.error ?? ''}`)],
          [
            'vuln DB',
            db.present
              ? `revision ${db.revision?.slice(0, 12)}, updated ${db.updatedAt}${db.ageSeconds !== undefined ? ` (${days(db.ageSeconds)} ago)` : ''}`
              : `none${db.error ? `: ${db.error}` : ''}`,
          ],
        ],
        '  ',
      ),
    );
  } else if (aggregator.via || aggregator.error) {
    lines.push(
      '',
      `AGGREGATOR  ${c.red('unreachable')}${aggregator.via ? ` via ${aggregator.via}` : ''}: ${aggregator.error ?? ''}`,
    );
  }
  if (report.agents.perNode.length > 0) {
    lines.push(
      '',
      `AGENTS  ${report.agents.ready}/${report.agents.nodes} nodes`,
      ...alignColumns([
        ['NODE', 'AGENT', 'POD', 'VERSION', 'HEARTBEAT', 'SENSOR', 'WHY'],
        ...report.agents.perNode.map((n) => [
          n.node,
          n.agent,
          n.pod ?? '-',
          n.heartbeat?.version ?? '-',
          n.heartbeat ? (n.heartbeat.online ? 'online' : `stale since ${n.heartbeat.lastSeen}`) : '-',
          n.heartbeat?.runtimeSensor
            ? `${n.heartbeat.runtimeSensor}${n.heartbeat.runtimeLost ? ` (${n.heartbeat.runtimeLost} lost)` : ''}`
            : '-',
          n.reasons.join('; '),
        ]),
      ]),
    );
  }
  if (report.problems.length > 0) lines.push('', 'PROBLEMS', ...report.problems.map((p) => `  - ${p}`));
  return `${lines.join('\n')}\n`;
}
