import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  type JetStreamClient,
  type JetStreamManager,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  EVENT_DEDUPE_WINDOW_MS,
  EVENTS_SUBJECT_PREFIX,
  type EventConsumer,
  type EventHandler,
  type EventRetention,
  type StoredEvent,
} from '../event-stream.js';
import { readOnce } from './one-read-consumer.js';

export const EVENTS_STREAM = 'SECO_EVENTS';
const nanos = (ms: number) => Math.round(ms * 1_000_000);
const isAlreadyThere = (error: unknown) => /already in use|already exists/i.test(String(error));
const isNotFound = (error: unknown) => /not found/i.test(String(error));
/** How long a consumer's handler may hold an event before the server delivers it again. */
const EVENT_ACK_WAIT_MS = 60_000;
const RETRY_DELAY_MS = 1000;

/**
 * A Limits-retention stream of `seco.events.>`: events stay for the retention window whether or not they
 * were consumed (`watch` replays them), oldest dropped first past the size cap. Created by whoever is first;
 * an existing stream is brought to this process's retention when it differs.
 */
export async function ensureEventsStream(
  jsm: JetStreamManager,
  replicas: number,
  retention: EventRetention,
): Promise<void> {
  const config = {
    name: EVENTS_STREAM,
    subjects: [`${EVENTS_SUBJECT_PREFIX}>`],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(retention.maxAgeMs),
    max_bytes: retention.maxBytes,
    duplicate_window: nanos(Math.min(EVENT_DEDUPE_WINDOW_MS, retention.maxAgeMs)),
    num_replicas: replicas,
  };
  try {
    const info = await jsm.streams.info(EVENTS_STREAM);
    if (info.config.max_age !== config.max_age || info.config.max_bytes !== config.max_bytes)
      await jsm.streams.update(EVENTS_STREAM, {
        ...info.config,
        max_age: config.max_age,
        max_bytes: config.max_bytes,
        duplicate_window: config.duplicate_window,
      });
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await jsm.streams.add(config);
  } catch (error) {
    if (!isAlreadyThere(error)) throw error;
  }
}

/** A durable explicit-ack pull consumer of every event, kept across restarts: what it has not acked waits. */
async function ensureEventsConsumer(jsm: JetStreamManager, durable: string): Promise<void> {
  try {
    await jsm.consumers.info(EVENTS_STREAM, durable);
    return;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    await jsm.consumers.add(EVENTS_STREAM, {
      durable_name: durable,
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      ack_wait: nanos(EVENT_ACK_WAIT_MS),
      max_deliver: -1, // an event is never given up on: a handler that fails (S3 down) is retried
    });
  } catch (error) {
    if (!isAlreadyThere(error)) throw error;
  }
}

/** Pulls one event at a time, hands it to `handler`, acks on success and asks again later on failure. */
export async function consumeEvents(
  nc: NatsConnection,
  js: JetStreamClient,
  jsm: JetStreamManager,
  durable: string,
  handler: EventHandler,
  onError: (error: unknown) => void,
): Promise<EventConsumer> {
  await ensureEventsConsumer(jsm, durable);
  let stopping = false;
  const loop = (async () => {
    while (!stopping && !nc.isClosed()) {
      try {
        const consumer = await js.consumers.get(EVENTS_STREAM, durable);
        while (!stopping) {
          const message = await consumer.next({ expires: 2000 });
          if (!message) continue;
          try {
            await handler({
              subject: message.subject,
              data: message.data,
              deliveryCount: message.info.deliveryCount,
            });
            message.ack();
          } catch (error) {
            onError(error);
            message.nak(RETRY_DELAY_MS);
          }
        }
      } catch (error) {
        // A reconnecting client or a restarting server: look the consumer up again after a pause.
        if (stopping || nc.isClosed()) break;
        onError(error);
        await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
        await ensureEventsConsumer(jsm, durable).catch(() => undefined);
      }
    }
  })();
  return {
    async stop() {
      stopping = true;
      await loop;
    },
  };
}

/** The stream sequence the newest `limit` stored events start at (the next one's when there are none). */
export function catchUpStart(
  state: { messages: number; first_seq: number; last_seq: number },
  limit: number,
): number {
  if (state.messages === 0 || limit <= 0) return state.last_seq + 1;
  return Math.max(state.first_seq, state.last_seq - limit + 1);
}

/** The newest `limit` events stored since `sinceMs`, read with an ordered (ephemeral) consumer. */
export async function recentEvents(
  js: JetStreamClient,
  jsm: JetStreamManager,
  sinceMs: number,
  limit: number,
): Promise<StoredEvent[]> {
  const { state } = await jsm.streams.info(EVENTS_STREAM);
  if (state.messages === 0 || limit <= 0) return [];
  const start = catchUpStart(state, limit);
  const events: StoredEvent[] = [];
  const wanted = state.last_seq - start + 1;
  await readOnce(
    js,
    EVENTS_STREAM,
    { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start },
    async (consumer) => {
      const messages = await consumer.fetch({ max_messages: wanted, expires: 2000 });
      for await (const message of messages) {
        const storedAt = Math.floor(message.info.timestampNanos / 1_000_000);
        if (storedAt >= sinceMs) events.push({ subject: message.subject, data: message.data, storedAt });
        if (message.seq >= state.last_seq) break;
      }
    },
  );
  return events;
}
