import type { KeyValue } from './key-value.js';

/** A job taken from a node's queue: acknowledge it when done, or give it back. */
export interface ReceivedJob {
  data: Uint8Array;
  /** 1 on first delivery; more after an agent died or gave the job back. */
  deliveryCount: number;
  ack(): Promise<void>;
  /** Gives the job back, to be redelivered after `delayMs`. */
  nak(delayMs?: number): Promise<void>;
  /** Says the job is still being worked on, pushing its ack deadline back. */
  working(): Promise<void>;
}

export interface JobQueueOptions {
  /** Time a taken job may stay unacknowledged before it is redelivered. */
  ackWaitMs: number;
  /** Deliveries after which a job is dead: reported, never delivered again. */
  maxDeliver: number;
}

/**
 * How the aggregator and agents talk (NATS JetStream in a cluster, in-process locally): one durable work
 * queue per node with JetStream WorkQueue semantics, and plain publish/subscribe subjects.
 */
export interface Bus {
  publishJob(node: string, data: Uint8Array): Promise<void>;
  /** The next job for `node`, or undefined when none arrives within `waitMs`. */
  nextJob(node: string, waitMs: number): Promise<ReceivedJob | undefined>;
  /** Called with each job that reached its delivery limit. Returns a function that stops the calls. */
  onDeadJob(handler: (node: string, data: Uint8Array) => void): Promise<() => void>;
  publish(subject: string, data: Uint8Array): Promise<void>;
  /** Subjects may end in `>` (everything below) or hold `*` (one token), as in NATS. */
  subscribe(subject: string, handler: (subject: string, data: Uint8Array) => void): Promise<() => void>;
  /** A key-value bucket for shared state (scan state survives an aggregator restart there). */
  keyValue(bucket: string): Promise<KeyValue>;
  close(): Promise<void>;
}

/** NATS subject matching: `*` matches one token, a final `>` one or more. */
export function subjectMatches(pattern: string, subject: string): boolean {
  const p = pattern.split('.');
  const s = subject.split('.');
  for (let i = 0; i < p.length; i++) {
    if (p[i] === '>') return s.length > i;
    if (i >= s.length || (p[i] !== '*' && p[i] !== s[i])) return false;
  }
  return p.length === s.length;
}
