import {
  DEFAULT_EVENT_RETENTION,
  EVENT_DEDUPE_WINDOW_MS,
  type EventConsumer,
  type EventHandler,
  type EventRetention,
  type EventTailStart,
  type StoredEvent,
} from '../event-stream.js';

interface LoggedEvent extends StoredEvent {
  seq: number;
  eventId: string;
}

const RETRY_DELAY_MS = 200;

/**
 * The in-process event stream, with the JetStream one's semantics: retained for the window and the size
 * cap whether consumed or not, an id seen within the dedupe window stored once, and per durable name one
 * cursor shared by its consumers — what one has acked no other gets, what a handler failed on is retried.
 */
export class MemoryEventLog {
  private readonly events: LoggedEvent[] = [];
  private bytes = 0;
  private nextSeq = 1;
  /** Per durable name: the sequence numbers acked, and those held by a handler right now. */
  private readonly durables = new Map<string, { acked: Set<number>; held: Set<number> }>();
  private readonly wakers = new Set<() => void>();

  constructor(
    private readonly retention: EventRetention = DEFAULT_EVENT_RETENTION,
    private readonly now: () => number = Date.now,
  ) {}

  /** Returns false for an id already stored within the dedupe window. */
  append(subject: string, data: Uint8Array, eventId: string): boolean {
    const at = this.now();
    this.expire(at);
    if (this.events.some((e) => e.eventId === eventId && at - e.storedAt < EVENT_DEDUPE_WINDOW_MS))
      return false;
    this.events.push({ seq: this.nextSeq++, subject, data: data.slice(), storedAt: at, eventId });
    this.bytes += data.length;
    this.expire(at);
    for (const wake of this.wakers) wake();
    return true;
  }

  recent(sinceMs: number, limit: number): StoredEvent[] {
    this.expire(this.now());
    return this.events
      .filter((e) => e.storedAt >= sinceMs)
      .slice(-Math.max(0, limit))
      .map(({ subject, data, storedAt }) => ({ subject, data: data.slice(), storedAt }));
  }

  /** `recent`, then each event as it is appended, in order. */
  tail(from: EventTailStart, handler: (event: StoredEvent) => void): () => void {
    const first = this.events.filter((e) => e.storedAt >= from.sinceMs).slice(-Math.max(0, from.limit));
    let after = this.nextSeq - 1;
    let stopped = false;
    const deliverNew = () => {
      if (stopped) return;
      // Only the newest few are new: walk back from the end instead of over the whole retained log.
      let first = this.events.length;
      while (first > 0 && this.events[first - 1]!.seq > after) first--;
      for (const event of this.events.slice(first)) {
        after = event.seq;
        handler({ subject: event.subject, data: event.data.slice(), storedAt: event.storedAt });
      }
    };
    // Woken by every append, and delivered after it, never inside the publisher's call (as NATS does).
    const wake = () => queueMicrotask(deliverNew);
    for (const event of first)
      handler({ subject: event.subject, data: event.data.slice(), storedAt: event.storedAt });
    this.wakers.add(wake);
    return () => {
      stopped = true;
      this.wakers.delete(wake);
    };
  }

  consume(durable: string, handler: EventHandler, onError: (error: unknown) => void): EventConsumer {
    let state = this.durables.get(durable);
    if (!state) {
      state = { acked: new Set(), held: new Set() };
      this.durables.set(durable, state);
    }
    const cursor = state;
    let stopping = false;
    let wake: () => void = () => {};
    const deliveries = new Map<number, number>();
    const loop = (async () => {
      while (!stopping) {
        this.expire(this.now());
        const next = this.events.find((e) => !cursor.acked.has(e.seq) && !cursor.held.has(e.seq));
        if (!next) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            this.wakers.add(resolve);
          });
          this.wakers.delete(wake);
          continue;
        }
        cursor.held.add(next.seq);
        const deliveryCount = (deliveries.get(next.seq) ?? 0) + 1;
        deliveries.set(next.seq, deliveryCount);
        try {
          await handler({ subject: next.subject, data: next.data.slice(), deliveryCount });
          cursor.acked.add(next.seq);
        } catch (error) {
          onError(error);
          await new Promise((r) => setTimeout(r, RETRY_DELAY_MS));
        } finally {
          cursor.held.delete(next.seq);
        }
      }
    })();
    return {
      async stop() {
        stopping = true;
        wake();
        await loop;
      },
    };
  }

  /** Drops what is past the retention window or over the size cap, oldest first. */
  private expire(at: number): void {
    while (
      this.events.length > 0 &&
      (at - this.events[0]!.storedAt > this.retention.maxAgeMs || this.bytes > this.retention.maxBytes)
    ) {
      const dropped = this.events.shift()!;
      this.bytes -= dropped.data.length;
      for (const state of this.durables.values()) state.acked.delete(dropped.seq);
    }
  }
}
