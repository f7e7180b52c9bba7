import type { Finding } from '../../../core/model/index.js';
import type { WatchSnapshot } from '../watch-store.js';
import { findingsIndex } from './findings-index.js';
import type { ScreenModel } from './screen-model.js';

const NONE: readonly Finding[] = [];

/** The findings the screen lists before the filters: one opened scan's, or the cluster's latest. */
function sourceFindings(snapshot: WatchSnapshot): readonly Finding[] {
  const { ui, openedScan } = snapshot;
  return ui.scanFocus && openedScan?.scanId === ui.scanFocus
    ? openedScan.findings
    : (snapshot.findings ?? NONE);
}

/** Every open finding of the cluster's latest scans (or of one scan), worst first. */
export const findingsScreen: ScreenModel = {
  title: 'findings',
  columns: [
    { title: 'SEVERITY', min: 8, max: 8, priority: 1 },
    { title: 'NAMESPACE', min: 6, priority: 4, cut: true },
    { title: 'RESOURCE', min: 12, priority: 3, cut: true },
    { title: 'RULE', min: 10, priority: 2, cut: true },
    { title: 'SCANNER', min: 6, priority: 6, optional: true },
    { title: 'FIXED IN', min: 6, max: 24, priority: 7, cut: true, optional: true },
    { title: 'TITLE', min: 12, priority: 5, cut: true },
  ],
  severityColumn: 0,
  rows(snapshot) {
    // Rows built and orders sorted once per list of findings (findings-index.ts), not per frame or key.
    return findingsIndex(sourceFindings(snapshot)).rows(snapshot.ui.order, snapshot.filters);
  },
  empty(snapshot) {
    const { ui, openedScan } = snapshot;
    if (ui.scanFocus) {
      if (openedScan?.state === 'loading') return `loading scan ${ui.scanFocus}…`;
      if (openedScan?.state === 'failed')
        return `scan ${ui.scanFocus}: ${openedScan.error ?? 'not available'}`;
      return `scan ${ui.scanFocus} has no open finding at these filters`;
    }
    if (snapshot.findings === undefined) return 'loading the findings of the latest scans…';
    if (snapshot.findings.length === 0) return 'no stored scan has open findings — run kubectl seco scan';
    return 'no finding passes the filters (s: min severity, :ns all)';
  },
};
