import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventTailStart, StoredEvent } from '../event-stream.js';
import { catchUpStart, EVENTS_STREAM } from './events-stream.js';

const RETRY_DELAY_MS = 1000;

/**
 * Follows the event stream with an ordered consumer from a stream sequence: after a reconnect the client
 * resumes at the sequence after the last one it handed out, so an event stored while the connection was
 * down (an agent back before this client) is delivered, not lost as on a plain subscription. Should the
 * consumer itself end (its server restarted and the library could not reset it), a new one starts from
 * the same place.
 */
export async function tailEvents(
  nc: NatsConnection,
  js: JetStreamClient,
  jsm: JetStreamManager,
  from: EventTailStart,
  handler: (event: StoredEvent) => void,
  onError: (error: unknown) => void = () => {},
): Promise<() => void> {
  const { state } = await jsm.streams.info(EVENTS_STREAM);
  const newest = state.last_seq;
  // The catch-up is the last `limit` stored; of those, only the ones stored since `sinceMs`.
  let next = catchUpStart(state, from.limit);
  let stopped = false;
  let close: (() => void) | undefined;
  const follow = async () => {
    while (!stopped && !nc.isClosed()) {
      try {
        const consumer = await js.consumers.get(EVENTS_STREAM, {
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: next,
        });
        const messages = await consumer.consume();
        close = () => void messages.close();
        if (stopped) close();
        for await (const message of messages) {
          next = message.seq + 1;
          const storedAt = Math.floor(message.info.timestampNanos / 1_000_000);
          if (message.seq <= newest && storedAt < from.sinceMs) continue;
          handler({ subject: message.subject, data: message.data, storedAt });
        }
      } catch (error) {
        if (stopped || nc.isClosed()) break;
        onError(error);
      }
      if (!stopped) await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
    }
  };
  void follow();
  return () => {
    stopped = true;
    close?.();
  };
}
