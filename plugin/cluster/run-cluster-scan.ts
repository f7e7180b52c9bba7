import type { Report } from '../../core/model/index.js';
import type { ScanTarget } from '../../core/protocol/index.js';
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

/** `scan ns/app` in a cluster: start it on the aggregator, show progress on stderr, return the merged report. */
export async function runClusterScan(
  target: ScanTarget,
  flags: AggregatorFlagValues & { scanners?: Scanner[]; quiet?: boolean },
  stderr: NodeJS.WriteStream,
): Promise<Report> {
  const { client, describe } = await connectAggregator(flags);
  const progress = progressPrinter(stderr);
  try {
    return await client.scan(target, {
      ...(flags.scanners ? { scanners: flags.scanners } : {}),
      onAccepted: (scanId) => {
        if (!flags.quiet) stderr.write(`scan ${scanId} started on ${describe}\n`);
      },
      onProgress: (p) => {
        if (!flags.quiet) progress.update(p);
      },
    });
  } finally {
    progress.end();
    client.close();
  }
}
