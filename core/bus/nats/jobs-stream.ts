import { createHash } from 'node:crypto';
import {
  AckPolicy,
  type ConsumerConfig,
  DeliverPolicy,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { subjectToken } from '../../protocol/bus-messages.js';
import type { JobQueueOptions } from '../bus.js';

export const JOBS_STREAM = 'SECO_JOBS';
export const JOBS_PREFIX = 'seco.jobs.';
const nanos = (ms: number) => Math.round(ms * 1_000_000);

export const jobSubject = (node: string) => `${JOBS_PREFIX}${subjectToken(node)}`;

/**
 * The durable consumer's name for a node. The subject token is injective (it escapes `~` itself) and legal in
 * a consumer name (no `.`, `*`, `>` or whitespace); an overlong one is hashed to stay under NATS name limits.
 */
export function consumerName(node: string): string {
  const name = `node-${subjectToken(node)}`;
  return name.length <= 200 ? name : `node-sha256-${createHash('sha256').update(node).digest('hex')}`;
}

const isAlreadyThere = (error: unknown) => /already in use|already exists/i.test(String(error));
const isNotFound = (error: unknown) => /not found/i.test(String(error));

/** A WorkQueue-retention stream (a message leaves when acked), file-backed, created once by whoever is first. */
export async function ensureJobsStream(jsm: JetStreamManager, replicas: number): Promise<void> {
  try {
    const info = await jsm.streams.info(JOBS_STREAM);
    if (info.config.retention !== RetentionPolicy.Workqueue)
      throw new Error(`stream ${JOBS_STREAM} exists with ${info.config.retention} retention, not workqueue`);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await jsm.streams.add({
      name: JOBS_STREAM,
      subjects: [`${JOBS_PREFIX}>`],
      retention: RetentionPolicy.Workqueue,
      storage: StorageType.File,
      num_replicas: replicas,
    });
  } catch (error) {
    // Another process created it between our look and our add: that is what we wanted.
    if (!isAlreadyThere(error)) throw error;
  }
}

function nodeConsumerConfig(node: string, options: JobQueueOptions): Partial<ConsumerConfig> {
  return {
    durable_name: consumerName(node),
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    filter_subject: jobSubject(node),
    ack_wait: nanos(options.ackWaitMs),
    max_deliver: options.maxDeliver,
  };
}

/**
 * The node's durable explicit-ack pull consumer. Idempotent across processes: an existing one is kept, and
 * brought to this process's ack wait and delivery limit when they differ (a new release changed them).
 */
export async function ensureNodeConsumer(
  jsm: JetStreamManager,
  node: string,
  options: JobQueueOptions,
): Promise<string> {
  const config = nodeConsumerConfig(node, options);
  const name = config.durable_name!;
  let info: Awaited<ReturnType<typeof jsm.consumers.info>> | undefined;
  try {
    info = await jsm.consumers.info(JOBS_STREAM, name);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  if (!info) {
    try {
      await jsm.consumers.add(JOBS_STREAM, config);
      return name;
    } catch (error) {
      if (!isAlreadyThere(error)) throw error;
      info = await jsm.consumers.info(JOBS_STREAM, name);
    }
  }
  if (info.config.ack_wait !== config.ack_wait || info.config.max_deliver !== config.max_deliver)
    await jsm.consumers.update(JOBS_STREAM, name, {
      ack_wait: config.ack_wait,
      max_deliver: config.max_deliver,
    });
  return name;
}
