import type { Report } from '../../core/model/index.js';
import { SCANNER_NAMES, type ScannerName, type ScanTarget } from '../../core/protocol/index.js';
import { closest } from '../cli/did-you-mean.js';
import { AggregatorError } from './aggregator-client.js';
import type { AggregatorFlagValues } from './aggregator-flags.js';
import { connectAggregator } from './connect-aggregator.js';
import { progressPrinter } from './progress-line.js';
import { ReportCollector, type ReportSink } from './report-sink.js';

export type Scanner = ScannerName;

/**
 * `--scanners config,image,lynis`: seco's scanners, `tools` (every tool adapter that applies) or tools
 * by name. An unknown name is refused with the closest known one, as unknown flags and commands are.
 */
export function parseScanners(value: string | undefined): Scanner[] | undefined {
  if (value === undefined) return undefined;
  const names = [
    ...new Set(
      value
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    ),
  ];
  if (names.length === 0) throw new Error(`--scanners: no scanner named (use ${SCANNER_NAMES.join(', ')})`);
  for (const name of names)
    if (!SCANNER_NAMES.includes(name)) {
      const [suggestion] = closest(name, SCANNER_NAMES);
      throw new Error(
        `unknown scanner ${JSON.stringify(name)}${suggestion ? `: did you mean ${suggestion}?` : ''} (scanners: ${SCANNER_NAMES.join(', ')})`,
      );
    }
  return names;
}

/**
 * How long a scan already accepted is followed again after its connection drops. Time, not a count of
 * tries: an aggregator restarting while NATS or S3 also restarts answers 503 until it is ready again,
 * which takes longer than a handful of quick retries.
 */
const RECONNECT_FOR_MS = 120_000;

/**
 * `scan ns/app` in a cluster: start it on the aggregator, show progress on stderr, return the merged
 * report. The scan lives in the cluster, not in this connection: if the connection drops after the scan
 * was accepted (an aggregator replica restarting, 1012; this client too slow to keep up, 1013), it
 * reconnects — possibly to another replica — and follows the same scan to its end.
 */
export async function runClusterScan(
  target: ScanTarget,
  flags: ClusterScanFlags,
  stderr: NodeJS.WriteStream,
): Promise<Report> {
  const collector = new ReportCollector();
  await runClusterScanInto(target, flags, stderr, collector);
  return collector.report();
}

type ClusterScanFlags = AggregatorFlagValues & {
  scanners?: Scanner[];
  quiet?: boolean;
  /** Told the scan's id once the aggregator accepted it (`scan -w` puts the screen's cursor on it). */
  onAccepted?: (scanId: string) => void;
  /** Stops following (the scan goes on in the cluster): the promise rejects. */
  stop?: AbortSignal;
  /** Policy objects to send with the scan (`--policy`), and `--cluster-policies`. */
  policies?: Record<string, unknown>[];
  clusterPolicies?: boolean;
};

/**
 * The same, the report going into `sink` as it arrives (header, then findings in order); `output` is
 * where the sink writes, read from no faster than it drains. A large report is read from the stored
 * pages at the end rather than kept from the live stream.
 */
export async function runClusterScanInto(
  target: ScanTarget,
  flags: ClusterScanFlags,
  stderr: NodeJS.WriteStream,
  sink: ReportSink,
  output?: NodeJS.WritableStream,
): Promise<void> {
  const progress = progressPrinter(stderr);
  const onProgress = (p: Parameters<typeof progress.update>[0]) => {
    if (!flags.quiet) progress.update(p);
  };
  let scanId: string | undefined;
  // Once the report has begun to arrive it may already be printed: a dropped connection then ends the run.
  let opened = false;
  const tracked: ReportSink = {
    header: (header) => {
      opened = true;
      sink.header(header);
    },
    findings: (batch) => sink.findings(batch),
  };
  try {
    let giveUpAt = Number.POSITIVE_INFINITY;
    for (let attempt = 0; ; attempt++) {
      let connection: Awaited<ReturnType<typeof connectAggregator>> | undefined;
      const close = () => connection?.client.close();
      flags.stop?.addEventListener('abort', close, { once: true });
      try {
        if (flags.stop?.aborted) throw new Error('stopped following the scan');
        connection = await connectAggregator(flags);
        if (flags.stop?.aborted) throw new Error('stopped following the scan');
        const { client, describe } = connection;
        if (output) client.pauseWhileFull(output);
        if (scanId) return await client.attachInto(scanId, tracked, { onProgress });
        return await client.scanInto(target, tracked, {
          ...(flags.scanners ? { scanners: flags.scanners } : {}),
          ...(flags.policies ? { policies: flags.policies } : {}),
          ...(flags.clusterPolicies ? { clusterPolicies: true } : {}),
          onAccepted: (id) => {
            scanId = id;
            flags.onAccepted?.(id);
            if (!flags.quiet) stderr.write(`scan ${id} started on ${describe}\n`);
          },
          onProgress,
        });
      } catch (error) {
        // Before the scan was accepted, failing is the answer; after, a lost connection is not the scan's end.
        const dropped = !connection || (error instanceof AggregatorError && error.code === 'unavailable');
        // The budget starts at a drop of a working connection; failed reconnects do not extend it.
        if (scanId && (connection || giveUpAt === Number.POSITIVE_INFINITY))
          giveUpAt = Date.now() + RECONNECT_FOR_MS;
        if (!scanId || !dropped || opened || Date.now() >= giveUpAt || flags.stop?.aborted) throw error;
        progress.end();
        if (!flags.quiet) stderr.write(`${(error as Error).message}; following scan ${scanId} again\n`);
        await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 8000)));
      } finally {
        flags.stop?.removeEventListener('abort', close);
        connection?.client.close();
      }
    }
  } finally {
    progress.end();
  }
}
