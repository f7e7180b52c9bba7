import type { EventStream } from './event-stream.js';
import type { KeyValue } from './key-value.js';

export type {
  EventConsumer,
  EventHandler,
  EventRetention,
  EventStream,
  ReceivedEvent,
  StoredEvent,
} from './event-stream.js';
export { DEFAULT_EVENT_RETENTION } from './event-stream.js';

export type { KeyValue, KvEntry } from './key-value.js';
export { KvConflictError } from './key-value.js';
export { BusMessageTooLargeError } from './message-size.js';
export { subjectMatches } from './subject-match.js';

/** A job taken from a node's queue: acknowledge it when done, or give it back. */
export interface ReceivedJob {
  data: Uint8Array;
  /** 1 on first delivery; more after a taker died, timed out or gave the job back. */
  deliveryCount: number;
  /** Done: the job leaves the queue for good. */
  ack(): Promise<void>;
  /** Gives the job back, to be redelivered after `delayMs`; on the last allowed delivery the job is dead. */
  nak(delayMs?: number): Promise<void>;
  /** Says the job is still being worked on, pushing its ack deadline back by a full ack wait. */
  working(): Promise<void>;
}

export interface JobQueueOptions {
  /** Time a taken job may stay unacknowledged before it is redelivered. */
  ackWaitMs: number;
  /** Deliveries after which a job is dead: reported, never delivered again. */
  maxDeliver: number;
  /** Largest message (job, event, KV value) accepted; MAX_BUS_MESSAGE_BYTES when unset. */
  maxMessageBytes?: number;
}

/** A job that reached its delivery limit: what the aggregator marks failed ("timed out") in the scan. */
export interface DeadJob {
  node: string;
  data: Uint8Array;
  /** Deliveries it had when it died (the queue's `maxDeliver`). */
  deliveries: number;
}

export interface ConsumeOptions {
  /** Jobs held at once (1: strictly one at a time). */
  maxInFlight?: number;
  /** How long one poll waits for a job before checking whether to stop. */
  pollMs?: number;
  /** Delay before a job whose handler threw without settling it is redelivered. */
  retryDelayMs?: number;
  /** Told about handler and transport errors; the consumer keeps going. */
  onError?: (error: unknown) => void;
}

/** A running consumer: `stop()` takes no new jobs and waits for the ones in hand. */
export interface JobConsumer {
  stop(): Promise<void>;
}

export type JobHandler = (job: ReceivedJob) => Promise<void>;

/**
 * How the aggregator and agents talk (NATS JetStream in a cluster, in-process locally): one durable work
 * queue per node with JetStream WorkQueue semantics, a retained event stream, plain publish/subscribe
 * subjects, and KV buckets.
 */
export interface Bus extends EventStream {
  /** Queues a job on `node`'s queue; it stays there until a taker acks it or it dies. */
  publishJob(node: string, data: Uint8Array): Promise<void>;
  /** The next job for `node`, or undefined when none arrives within `waitMs`. */
  nextJob(node: string, waitMs: number): Promise<ReceivedJob | undefined>;
  /** Runs `handler` on `node`'s jobs, at most `maxInFlight` at once, until stopped. */
  consume(node: string, handler: JobHandler, options?: ConsumeOptions): JobConsumer;
  /**
   * Called with each job that reached its delivery limit. Each dead job goes to exactly one listener, in
   * whichever process (aggregator replicas share them, as a NATS queue group does).
   * A job given back on its last delivery is reported at once; one whose last delivery timed out is
   * reported when the server next tries to deliver from that queue (JetStream checks max_deliver on
   * redelivery, so with NATS that needs a taker polling the node's queue). Returns a function that stops it.
   */
  onDeadJob(handler: (node: string, data: Uint8Array, dead: DeadJob) => void): Promise<() => void>;
  publish(subject: string, data: Uint8Array): Promise<void>;
  /** Subjects may end in `>` (everything below) or hold `*` (one token), as in NATS. */
  subscribe(subject: string, handler: (subject: string, data: Uint8Array) => void): Promise<() => void>;
  /**
   * Asks whoever serves `subject` and resolves with the answer (request/reply); rejects when nobody serves
   * it or no answer comes within `timeoutMs`.
   */
  request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array>;
  /**
   * Answers requests on `subject` (wildcards allowed) with what `handler` returns; among several servers each
   * request reaches one (a NATS queue group). A handler that throws sends no answer: the asker times out.
   */
  serve(
    subject: string,
    handler: (subject: string, data: Uint8Array) => Promise<Uint8Array>,
  ): Promise<() => void>;
  /** A key-value bucket for shared state (scan state survives an aggregator restart there). */
  keyValue(bucket: string): Promise<KeyValue>;
  /**
   * Milliseconds of one round trip to the server (a NATS PING/PONG; 0 in-process). Rejects when no answer
   * comes within `timeoutMs` — the client buffers while it reconnects, so a down server is a timeout.
   */
  roundTrip(timeoutMs: number): Promise<number>;
  /** Stops consumers and timers and, for NATS, drains the connection (pending publishes are flushed). */
  close(): Promise<void>;
}
