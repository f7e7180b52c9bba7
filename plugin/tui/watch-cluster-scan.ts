import type { Report, Severity } from '../../core/model/index.js';
import type { ScanTarget } from '../../core/protocol/index.js';
import type { AggregatorFlagValues } from '../cluster/aggregator-flags.js';
import { runClusterScan, type Scanner } from '../cluster/run-cluster-scan.js';
import { runWatchUi } from './run-watch-ui.js';
import type { WatchStore } from './watch-store.js';

/**
 * `scan … --watch`: starts the scan and opens the watch on the scans screen with the cursor on it, live.
 * Returns its report when it finished before `q`; undefined when the user left first (the scan goes on in
 * the cluster, and `results ID` shows it later). A scan that could not start is an error, as without -w.
 */
export async function watchClusterScan(
  target: ScanTarget,
  flags: AggregatorFlagValues & { scanners?: Scanner[] },
  view: { minSeverity: Severity; namespaces: string[] },
  stderr: NodeJS.WriteStream,
): Promise<Report | undefined> {
  const stopper = new AbortController();
  const following = new AbortController();
  let store: WatchStore | undefined;
  let scanId: string | undefined;
  let report: Report | undefined;
  let failure: Error | undefined;
  const scan = runClusterScan(
    target,
    {
      ...flags,
      quiet: true,
      stop: following.signal,
      onAccepted: (id) => {
        scanId = id;
        store?.focusScan(id);
      },
    },
    stderr,
  ).then(
    (done) => {
      report = done;
    },
    (error: Error) => {
      failure = error;
      // Refused before it started (no such workload, forbidden): nothing to watch.
      if (!scanId) stopper.abort();
    },
  );
  await runWatchUi({
    flags,
    ...view,
    screen: 'scans',
    stopper,
    prepare: (s) => {
      store = s;
      if (scanId) s.focusScan(scanId);
    },
  });
  following.abort();
  await scan;
  if (report) return report;
  if (failure && !scanId) throw failure;
  stderr.write(
    `scan ${scanId} goes on in the cluster; \`kubectl seco results ${scanId}\` shows it when it is done\n`,
  );
  return undefined;
}
