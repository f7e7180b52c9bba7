import type { Consumer, JetStreamClient, OrderedConsumerOptions } from '@nats-io/jetstream';

/** The server drops a one-read consumer this long after its last use, should deleting it fail. */
const IDLE_MS = 30_000;

/**
 * One read of a stream through an ordered consumer made for it and deleted after it. Listings and
 * catch-ups run at every watch refresh and scan plan; the library's ordered consumers otherwise stay on
 * the server (in memory) for 5 minutes each.
 */
export async function readOnce<T>(
  js: JetStreamClient,
  stream: string,
  options: Partial<OrderedConsumerOptions>,
  read: (consumer: Consumer) => Promise<T>,
): Promise<T> {
  const consumer = await js.consumers.get(stream, { inactive_threshold: IDLE_MS, ...options });
  try {
    return await read(consumer);
  } finally {
    consumer.delete().catch(() => undefined);
  }
}
