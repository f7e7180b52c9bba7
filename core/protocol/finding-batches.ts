import type { Finding } from '../model/index.js';
import { MAX_FINDINGS_PER_BATCH } from './limits.js';

/**
 * Findings as ready-to-send messages: `envelope` (type, ids) with a `findings` array, each message under
 * `maxBytes` and MAX_FINDINGS_PER_BATCH. Each finding is turned into JSON once, whatever the batching —
 * large scans stream tens of thousands. A single finding over the budget is an error naming it:
 * evidence is bounded at the scanners, so one that big means something upstream is wrong.
 */
export function encodeFindingBatches(
  findings: readonly Finding[],
  envelope: Record<string, unknown>,
  maxBytes: number,
): string[] {
  const empty = JSON.stringify({ ...envelope, findings: [] });
  // `findings` is the last key, so the message is the envelope's JSON with the array spliced in.
  const head = empty.slice(0, -2);
  const budget = maxBytes - Buffer.byteLength(empty) - 2;
  const messages: string[] = [];
  let batch: string[] = [];
  let size = 0;
  const flush = () => {
    if (batch.length > 0) messages.push(`${head}${batch.join(',')}]}`);
    batch = [];
    size = 0;
  };
  for (const finding of findings) {
    const json = JSON.stringify(finding);
    const bytes = Buffer.byteLength(json) + 1;
    if (bytes > budget)
      throw new Error(
        `finding ${finding.id} (${finding.ruleId}) is ${bytes} bytes, over the ${budget}-byte batch budget`,
      );
    if (batch.length >= MAX_FINDINGS_PER_BATCH || size + bytes > budget) flush();
    batch.push(json);
    size += bytes;
  }
  flush();
  return messages;
}
