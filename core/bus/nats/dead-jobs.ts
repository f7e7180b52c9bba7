import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { subjectToken } from '../../protocol/bus-messages.js';
import type { DeadJob } from '../bus.js';
import { nodeFromToken } from '../node-name.js';
import { JOBS_PREFIX, JOBS_STREAM } from './jobs-stream.js';

// JetStream publishes this advisory (schema io.nats.jetstream.advisory.v1.max_deliver) when a message passes
// its consumer's max_deliver, naming the stream sequence that died and how often it was delivered.
const MAX_DELIVERIES_ADVISORY = `$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES.${JOBS_STREAM}.*`;
/** Where a bus announces a job it ended itself (given back on its last delivery). */
export const DEAD_PREFIX = 'seco.dead.';
export const DELIVERIES_HEADER = 'Seco-Deliveries';

export const deadSubject = (node: string) => `${DEAD_PREFIX}${subjectToken(node)}`;

type DeadHandler = (dead: DeadJob) => void;

/**
 * A job whose last delivery timed out stays in the work queue (never delivered again): read it, delete it,
 * and report it. Only the process whose delete succeeds reports, so several aggregators report a job once.
 */
async function reportFromAdvisory(
  jsm: JetStreamManager,
  seq: number,
  deliveries: number,
  handler: DeadHandler,
): Promise<void> {
  const stored = await jsm.streams.getMessage(JOBS_STREAM, { seq }).catch(() => null);
  if (!stored?.subject.startsWith(JOBS_PREFIX)) return;
  const deleted = await jsm.streams.deleteMessage(JOBS_STREAM, seq, false).catch(() => false);
  if (!deleted) return; // acked late, or another process reported it
  handler({ node: nodeFromToken(stored.subject.slice(JOBS_PREFIX.length)), data: stored.data, deliveries });
}

function readAdvisory(data: Uint8Array): { seq: number; deliveries: number } | undefined {
  try {
    const advisory: unknown = JSON.parse(Buffer.from(data).toString('utf8'));
    if (typeof advisory !== 'object' || advisory === null) return undefined;
    const { stream_seq: seq, deliveries } = advisory as Record<string, unknown>;
    if (typeof seq !== 'number' || !Number.isSafeInteger(seq)) return undefined;
    return { seq, deliveries: typeof deliveries === 'number' ? deliveries : 0 };
  } catch {
    return undefined; // not an advisory we can read
  }
}

/** Listens for dead jobs from both sources: server advisories (ack waits ran out) and buses' own reports. */
export async function watchDeadJobs(
  nc: NatsConnection,
  jsm: JetStreamManager,
  handler: DeadHandler,
): Promise<() => void> {
  const safe: DeadHandler = (dead) => {
    try {
      handler(dead);
    } catch {
      // The listener's failure is its own; the subscription goes on.
    }
  };
  const subscriptions: Subscription[] = [
    nc.subscribe(MAX_DELIVERIES_ADVISORY, {
      callback: (error, message) => {
        const advisory = error ? undefined : readAdvisory(message.data);
        if (advisory) void reportFromAdvisory(jsm, advisory.seq, advisory.deliveries, safe);
      },
    }),
    // A queue group: each announced dead job reaches one listener among all processes.
    nc.subscribe(`${DEAD_PREFIX}*`, {
      queue: 'seco-dead-jobs',
      callback: (error, message) => {
        if (error) return;
        const deliveries = Number(message.headers?.get(DELIVERIES_HEADER) ?? 0);
        safe({
          node: nodeFromToken(message.subject.slice(DEAD_PREFIX.length)),
          data: message.data,
          deliveries: Number.isSafeInteger(deliveries) ? deliveries : 0,
        });
      },
    }),
  ];
  await nc.flush(); // registered with the server before this returns
  return () => {
    for (const subscription of subscriptions) subscription.unsubscribe();
  };
}
