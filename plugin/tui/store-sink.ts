import type { WatchSink } from '../cluster/watch-session.js';
import type { WatchStore } from './watch-store.js';

/** Feeds a watch session into the TUI's store: events, scans, nodes, findings, and how to open a scan. */
export function storeSink(store: WatchStore): WatchSink {
  return {
    state: (state, message) => store.setConnection(state, message),
    user: (user) => store.setUser(user),
    event: (finding) => store.addEvent(finding),
    scans: (scans) => store.setScans(scans),
    activeScans: (scans) => store.setActiveScans(scans),
    nodes: (nodes, error) => store.setNodes(nodes, error),
    findings: (latest) => store.setFindings(latest.findings, latest.scans),
    resumeFrom: () => store.getSnapshot().lastEventAt,
    loader: (load) =>
      store.setScanLoader(
        load &&
          ((scanId) => {
            load(scanId).then(
              (report) =>
                store.setOpenedScan({
                  scanId,
                  state: 'loaded',
                  findings: report.findings.filter((f) => f.status === 'open'),
                  problems: report.problems,
                }),
              (error: Error) =>
                store.setOpenedScan({
                  scanId,
                  state: 'failed',
                  findings: [],
                  problems: [],
                  error: error.message,
                }),
            );
          }),
      ),
  };
}
