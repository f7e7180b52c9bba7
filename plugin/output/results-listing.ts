import type { ListedScan } from '../../core/protocol/index.js';
import { alignColumns } from './align-columns.js';

/** `1m05s`, `850ms`, `2h03m`: how long a scan ran, from its start and finish times. */
export function formatDuration(startedAt: string | undefined, finishedAt: string | undefined): string {
  if (!startedAt || !finishedAt) return '?';
  const ms = Date.parse(finishedAt) - Date.parse(startedAt);
  if (!Number.isFinite(ms) || ms < 0) return '?';
  if (ms < 1000) return `${ms}ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/**
 * The `results` table, as kubectl prints lists: each scan's id, state (an incomplete scan's findings
 * leave out what failed), when it finished, how long it ran, its open findings by severity, its
 * problems, and its target. Scans stored before state was recorded show `?`.
 */
export function renderResultsListing(scans: readonly ListedScan[]): string {
  if (scans.length === 0) return 'No stored scans.\n';
  const rows = scans.map((s) => [
    s.scanId,
    s.state ?? '?',
    s.finishedAt ?? '',
    formatDuration(s.startedAt, s.finishedAt),
    ['critical', 'high', 'medium', 'low'].map((sev) => String(s.summary[sev] ?? 0)).join('/'),
    s.problems === undefined ? '?' : String(s.problems),
    s.target,
  ]);
  const header = ['SCAN', 'STATE', 'FINISHED', 'DURATION', 'C/H/M/L', 'PROBLEMS', 'TARGET'];
  return `${alignColumns([header, ...rows]).join('\n')}\n`;
}
