import { type JobOutcome, PROTOCOL_VERSION } from '../core/protocol/index.js';

// The protocol's id bounds (1..128 characters); subjects escape whatever the id holds.
const isId = (value: unknown): value is string =>
  typeof value === 'string' && value.length >= 1 && value.length <= 128;

/**
 * The outcome of a job the agent cannot read (wrong shape, unknown kind, too large): `failed` with the
 * reason, addressed to the scan and job it names — when it names them legibly. A message that names
 * neither cannot be answered; the aggregator's deadline still covers it.
 */
export function refusedOutcome(data: Uint8Array, node: string, reason: string): JobOutcome | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(data).toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const { scanId, jobId } = parsed as Record<string, unknown>;
  if (!isId(scanId) || !isId(jobId)) return undefined;
  return {
    v: PROTOCOL_VERSION,
    type: 'job.done',
    jobId,
    scanId,
    node,
    status: 'failed',
    findings: 0,
    error: `refused by the agent on node ${node}: ${reason}`.slice(0, 4000),
  };
}
