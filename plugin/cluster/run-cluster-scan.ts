import type { Report } from '../../core/model/index.js';
import type { ScanTarget } from '../../core/protocol/index.js';
import { AggregatorError } from './aggregator-client.js';
import type { AggregatorFlagValues } from './aggregator-flags.js';
import { connectAggregator } from './connect-aggregator.js';
import { progressPrinter } from './progress-line.js';

export type Scanner = 'config' | 'image' | 'host' | 'runtime';
export const SCANNERS: readonly Scanner[] = ['config', 'image', 'host', 'runtime'];

export function parseScanners(value: string | undefined): Scanner[] | undefined {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const name of names)
    if (!(SCANNERS as readonly string[]).includes(name))
      throw new Error(`unknown scanner ${JSON.stringify(name)}: use ${SCANNERS.join(', ')}`);
  return names as Scanner[];
}

const RECONNECTS = 5;

/**
 * `scan ns/app` in a cluster: start it on the aggregator, show progress on stderr, return the merged
 * report. The scan lives in the cluster, not in this connection: if the connection drops after the scan
 * was accepted (an aggregator replica restarting, 1012; this client too slow to keep up, 1013), it
 * reconnects — possibly to another replica — and follows the same scan to its end.
 */
export async function runClusterScan(
  target: ScanTarget,
  flags: AggregatorFlagValues & {
    scanners?: Scanner[];
    quiet?: boolean;
    /** Told the scan's id once the aggregator accepted it (`scan -w` puts the screen's cursor on it). */
    onAccepted?: (scanId: string) => void;
    /** Stops following (the scan goes on in the cluster): the promise rejects. */
    stop?: AbortSignal;
  },
  stderr: NodeJS.WriteStream,
): Promise<Report> {
  const progress = progressPrinter(stderr);
  const onProgress = (p: Parameters<typeof progress.update>[0]) => {
    if (!flags.quiet) progress.update(p);
  };
  let scanId: string | undefined;
  try {
    for (let attempt = 0; ; attempt++) {
      let connection: Awaited<ReturnType<typeof connectAggregator>> | undefined;
      const close = () => connection?.client.close();
      flags.stop?.addEventListener('abort', close, { once: true });
      try {
        if (flags.stop?.aborted) throw new Error('stopped following the scan');
        connection = await connectAggregator(flags);
        if (flags.stop?.aborted) throw new Error('stopped following the scan');
        const { client, describe } = connection;
        if (scanId) return await client.attach(scanId, { onProgress });
        return await client.scan(target, {
          ...(flags.scanners ? { scanners: flags.scanners } : {}),
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
        if (!scanId || !dropped || attempt >= RECONNECTS || flags.stop?.aborted) throw error;
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
