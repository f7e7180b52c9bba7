import type { ActiveScan, KindCounts } from '../../../core/protocol/index.js';
import { age, type Row, type ScreenModel } from './screen-model.js';

const BAR = 10;

/** `███████░░░ 7/10`: settled jobs of all jobs (failed and timed-out ones count as settled). */
export function progressBar(c: KindCounts, width = BAR): string {
  const settled = c.acked + c.failed + c.timedOut;
  const filled = c.total === 0 ? width : Math.round((settled / c.total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)} ${settled}/${c.total}`;
}

function sum(counts: Iterable<KindCounts>): KindCounts {
  const total: KindCounts = { total: 0, acked: 0, failed: 0, timedOut: 0 };
  for (const c of counts) {
    total.total += c.total;
    total.acked += c.acked;
    total.failed += c.failed;
    total.timedOut += c.timedOut;
  }
  return total;
}

function troubles(c: KindCounts): string {
  const parts = [c.failed ? `${c.failed} failed` : '', c.timedOut ? `${c.timedOut} timed out` : ''];
  return parts.filter(Boolean).join(', ');
}

function activeRows(scan: ActiveScan, now: Date): Row[] {
  const perNode = Object.entries(scan.nodes).sort(([a], [b]) => a.localeCompare(b));
  const all = sum(perNode.flatMap(([, kinds]) => Object.values(kinds)));
  const problems = [troubles(all), scan.problems.length ? `${scan.problems.length} problems` : '']
    .filter(Boolean)
    .join(', ');
  const rows: Row[] = [
    {
      key: scan.scanId,
      cells: [
        scan.scanId,
        scan.target,
        scan.status,
        progressBar(all),
        problems || '-',
        age(scan.startedAt, now),
      ],
      target: { kind: 'scan', scanId: scan.scanId },
    },
  ];
  for (const [node, kinds] of perNode)
    for (const [kind, counts] of Object.entries(kinds).sort(([a], [b]) => a.localeCompare(b)))
      rows.push({
        key: `${scan.scanId}/${node}/${kind}`,
        sub: true,
        cells: ['', `  ${node} · ${kind}`, '', progressBar(counts), troubles(counts) || '-', ''],
        target: { kind: 'scan', scanId: scan.scanId },
      });
  return rows;
}

/** Scans in flight with a bar per node and job kind, then the stored ones with their severity counts. */
export const scansScreen: ScreenModel = {
  title: 'scans',
  columns: [
    { title: 'SCAN', min: 8, max: 26, priority: 5, cut: true, optional: true },
    { title: 'TARGET', min: 12, priority: 1, cut: true },
    { title: 'STATE', min: 5, max: 9, priority: 2 },
    { title: 'PROGRESS / C H M L', min: 12, priority: 3 },
    { title: 'PROBLEMS', min: 8, priority: 4, cut: true },
    { title: 'AGE', min: 3, max: 5, priority: 6, align: 'right' },
  ],
  rows(snapshot, now) {
    const active = new Set(snapshot.activeScans.map((s) => s.scanId));
    const rows = snapshot.activeScans.flatMap((scan) => activeRows(scan, now));
    for (const scan of snapshot.scans) {
      if (active.has(scan.scanId)) continue;
      const s = scan.summary;
      const opened = snapshot.openedScan?.scanId === scan.scanId ? snapshot.openedScan : undefined;
      rows.push({
        key: scan.scanId,
        cells: [
          scan.scanId,
          scan.target,
          'done',
          `${s.critical ?? 0} ${s.high ?? 0} ${s.medium ?? 0} ${s.low ?? 0}`,
          opened?.state === 'loaded'
            ? opened.problems.length
              ? `${opened.problems.length} problems`
              : '-'
            : '',
          age(scan.finishedAt, now),
        ],
        target: { kind: 'scan', scanId: scan.scanId },
      });
    }
    return rows;
  },
  empty: () => 'no scan running or stored — start one with kubectl seco scan NS/APP',
};
