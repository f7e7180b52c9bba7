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
 * Where the catch-up ends is the stream's last sequence when the tail is asked for, so everything stored
 * after the returned promise resolves is delivered. The tail also starts while NATS is unreachable (a
 * `watch` client that connects to an aggregator whose NATS is restarting): that boundary is then read once
 * the stream answers, and events stored since the call are told by their time instead; until then the
 * failures go to `onError` and are retried. Refusing instead would leave that client connected and fed
 * nothing.
 */
export async function tailEvents(
  nc: NatsConnection,
  js: JetStreamClient,
  jsm: JetStreamManager,
  from: EventTailStart,
  handler: (event: StoredEvent) => void,
  onError: (error: unknown) => void = () => {},
): Promise<() => void> {
  const calledAt = Date.now();
  /** The stream's newest sequence when the tail began: older events are the catch-up, filtered by time. */
  let newest = 0;
  let next: number | undefined;
  /** The boundary was read after the call (NATS was away): what was stored since the call is not catch-up. */
  let late = false;
  const begin = async () => {
    const { state } = await jsm.streams.info(EVENTS_STREAM);
    newest = state.last_seq;
    // The catch-up is the last `limit` stored; of those, only the ones stored since `sinceMs`.
    next = catchUpStart(state, from.limit);
  };
  try {
    await begin();
  } catch (error) {
    onError(error);
    late = true;
  }
  const catchUpOnly = (seq: number, storedAt: number) =>
    seq <= newest && storedAt < from.sinceMs && !(late && storedAt >= calledAt);
  let stopped = false;
  let close: (() => void) | undefined;
  const follow = async () => {
    while (!stopped && !nc.isClosed()) {
      try {
        if (next === undefined) await begin();
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
          if (catchUpOnly(message.seq, storedAt)) continue;
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
