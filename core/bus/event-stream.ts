/**
 * Runtime events (agents' detections, Falco alerts) on a retained stream rather than fire-and-forget
 * publish/subscribe: an event published while no aggregator listens waits in the stream (within the
 * retention window) for a durable consumer, and a `watch` client that connects late replays the recent ones.
 */

/** How long and how much the event stream keeps (JetStream `max_age`, `max_bytes`; oldest dropped first). */
export interface EventRetention {
  maxAgeMs: number;
  maxBytes: number;
}

export const DEFAULT_EVENT_RETENTION: EventRetention = { maxAgeMs: 24 * 3600_000, maxBytes: 256 * 2 ** 20 };

/** Events on the stream live under this subject prefix (`seco.events.<node>`). */
export const EVENTS_SUBJECT_PREFIX = 'seco.events.';

/** An event that repeats a published one's id within this window is stored once (JetStream's duplicate window). */
export const EVENT_DEDUPE_WINDOW_MS = 2 * 60_000;

export interface ReceivedEvent {
  subject: string;
  data: Uint8Array;
  /** 1 on first delivery; more after the consumer that had it died or gave it back. */
  deliveryCount: number;
}

/** Handles one event; the event is acknowledged when this resolves, delivered again when it throws. */
export type EventHandler = (event: ReceivedEvent) => Promise<void>;

export interface EventConsumer {
  stop(): Promise<void>;
}

export interface StoredEvent {
  subject: string;
  data: Uint8Array;
  /** When the stream stored it (epoch ms). */
  storedAt: number;
}

/** The parts of the Bus that carry the event stream. */
export interface EventStream {
  /** Stores an event on the stream (and delivers it to plain subscribers of `subject`); `eventId` dedupes a retry. */
  publishEvent(subject: string, data: Uint8Array, eventId: string): Promise<void>;
  /**
   * Runs `handler` on every event, one at a time, through the durable consumer `durable`: each event goes to
   * one of the processes consuming with that name, and is acknowledged only once the handler resolved.
   */
  consumeEvents(
    durable: string,
    handler: EventHandler,
    options?: { onError?: (error: unknown) => void },
  ): Promise<EventConsumer>;
  /** The newest events stored since `sinceMs` (at most `limit`), oldest first. */
  recentEvents(sinceMs: number, limit: number): Promise<StoredEvent[]>;
  /**
   * The newest `from.limit` events stored since `from.sinceMs`, then every event stored after, in stream
   * order. Read from the stream's own sequence, not a plain subscription: an event stored while this client
   * was reconnecting (a NATS restart, the agent back first) arrives once it is back instead of being lost.
   * Returns a function that stops it.
   */
  tailEvents(from: EventTailStart, handler: (event: StoredEvent) => void): Promise<() => void>;
}

export interface EventTailStart {
  sinceMs: number;
  limit: number;
}

export function checkEventSubject(subject: string): string {
  if (!subject.startsWith(EVENTS_SUBJECT_PREFIX) || subject.length === EVENTS_SUBJECT_PREFIX.length)
    throw new Error(`event subject ${JSON.stringify(subject)} is not under ${EVENTS_SUBJECT_PREFIX}`);
  return subject;
}
