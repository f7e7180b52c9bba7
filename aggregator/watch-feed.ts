import type { Bus } from '../core/bus/bus.js';
import type { Finding } from '../core/model/index.js';
import {
  contentEventId,
  decodeMessage,
  FindingEvent,
  MAX_BUS_MESSAGE_BYTES,
} from '../core/protocol/index.js';

/** How far back a `watch` client that connects is caught up from the event stream, and at most how many. */
export const WATCH_CATCH_UP_MS = 60 * 60_000;
export const WATCH_CATCH_UP_EVENTS = 500;
/** The most a client may ask for (`watch.subscribe` `history`). */
export const WATCH_CATCH_UP_MAX_EVENTS = 10_000;
/** Event ids remembered per watcher to drop an event stored twice (a retry after the stream's dedupe window). */
const REMEMBERED_IDS = 10_000;

/**
 * A `watch` client's feed: first the recent events of the event stream (those of the last hour, at most
 * 500), so a client that connects after a detection still sees it, then every event as it is stored.
 * Returns a function that stops the feed.
 */
export async function followEvents(
  bus: Bus,
  wanted: (finding: Finding) => boolean,
  send: (finding: Finding) => void,
  now = Date.now(),
  /** A client catching up after a reconnect: from its last event, and how many at most. */
  catchUp: { sinceMs?: number; limit?: number } = {},
): Promise<() => void> {
  const sinceMs = catchUp.sinceMs ?? now - WATCH_CATCH_UP_MS;
  const limit = Math.min(catchUp.limit ?? WATCH_CATCH_UP_EVENTS, WATCH_CATCH_UP_MAX_EVENTS);
  const sent = new Set<string>();
  const deliver = (data: Uint8Array) => {
    const decoded = decodeMessage(FindingEvent, data, MAX_BUS_MESSAGE_BYTES);
    if (!decoded.ok) return;
    const id = decoded.value.eventId ?? contentEventId(data);
    if (sent.has(id)) return;
    sent.add(id);
    if (sent.size > REMEMBERED_IDS) sent.delete(sent.values().next().value!);
    if (wanted(decoded.value.finding)) send(decoded.value.finding);
  };
  // One read of the stream, catch-up then live, by sequence: nothing between them, nothing lost while the
  // aggregator's connection to NATS is down (the stream keeps what agents publish meanwhile).
  return bus.tailEvents({ sinceMs, limit }, (event) => deliver(event.data));
}
