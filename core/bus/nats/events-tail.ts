import { DeliverPolicy, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { EventTailStart, StoredEvent } from '../event-stream.js';
import { catchUpStart, EVENTS_STREAM } from './events-stream.js';

const RETRY_DELAY_MS = 1000;
/**
 * How long one pull of the tail waits. The library watches the consumer with heartbeats at half this; the
 * default (30 s) left a tail silent for half a minute when a restart lost its pull.
 */
const PULL_EXPIRES_MS = 5000;

/**
 * Follows the event stream with an ordered consumer from a stream sequence: after a reconnect the client
 * resumes at the sequence after the last one it handed out, so an event stored while the connection was
 * down (an agent back before this client) is delivered, not lost as on a plain subscription. Should the
 * consumer itself end (its server restarted and the library could not reset it), a new one starts from
 * the same place.
 *
 * A reconnect restarts the consumer at once: after a server restart the library's own recovery waits for
 * a pull to expire or heartbeats to be missed, and meanwhile stored events would not be delivered.
 *
 * The tail starts even while NATS is unreachable (a `watch` client that connects to an aggregator whose
 * NATS is restarting): where the catch-up begins is read from the stream once it answers, and until then
 * the failures are told through `onError` and retried. Refusing instead would leave that client connected
 * and fed nothing.
 */
export async function tailEvents(
  nc: NatsConnection,
  js: JetStreamClient,
  jsm: JetStreamManager,
  from: EventTailStart,
  handler: (event: StoredEvent) => void,
  onError: (error: unknown) => void = () => {},
): Promise<() => void> {
  /** The stream's newest sequence when the tail began: older events are the catch-up, filtered by time. */
  let newest = 0;
  let next: number | undefined;
  let stopped = false;
  let close: (() => void) | undefined;
  const follow = async () => {
    while (!stopped && !nc.isClosed()) {
      try {
        if (next === undefined) {
          const { state } = await jsm.streams.info(EVENTS_STREAM);
          newest = state.last_seq;
          // The catch-up is the last `limit` stored; of those, only the ones stored since `sinceMs`.
          next = catchUpStart(state, from.limit);
        }
        const consumer = await js.consumers.get(EVENTS_STREAM, {
          deliver_policy: DeliverPolicy.StartSequence,
          opt_start_seq: next,
        });
        const messages = await consumer.consume({ expires: PULL_EXPIRES_MS });
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
  const statuses = nc.status();
  void (async () => {
    for await (const status of statuses) if (status.type === 'reconnect') close?.();
  })();
  void follow();
  return () => {
    stopped = true;
    close?.();
    // The library's iterator has stop(); its declared type is only AsyncIterable.
    (statuses as { stop?: () => void }).stop?.();
  };
}
