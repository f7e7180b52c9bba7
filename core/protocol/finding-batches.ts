import type { Finding } from '../model/index.js';
import { MAX_FINDINGS_PER_BATCH } from './limits.js';

/**
 * Splits findings into batches that each stay under `maxBytes` of JSON (less `overheadBytes` for the
 * envelope) and MAX_FINDINGS_PER_BATCH. A single finding larger than the budget is an error naming it:
 * evidence is bounded at the scanners, so one that big means something upstream is wrong.
 */
export function findingBatches(
  findings: readonly Finding[],
  maxBytes: number,
  overheadBytes = 1024,
): Finding[][] {
  const budget = maxBytes - overheadBytes;
  const batches: Finding[][] = [];
  let batch: Finding[] = [];
  let size = 0;
  for (const finding of findings) {
    const bytes = Buffer.byteLength(JSON.stringify(finding)) + 1;
    if (bytes > budget)
      throw new Error(
        `finding ${finding.id} (${finding.ruleId}) is ${bytes} bytes, over the ${budget}-byte batch budget`,
      );
    if (batch.length >= MAX_FINDINGS_PER_BATCH || size + bytes > budget) {
      batches.push(batch);
      batch = [];
      size = 0;
    }
    batch.push(finding);
    size += bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}
