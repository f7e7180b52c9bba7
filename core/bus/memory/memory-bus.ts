import { subjectToken } from '../../protocol/bus-messages.js';
import type {
  Bus,
  ConsumeOptions,
  DeadJob,
  JobConsumer,
  JobHandler,
  JobQueueOptions,
  ReceivedJob,
} from '../bus.js';
import { consumeJobs } from '../consume-jobs.js';
import {
  checkEventSubject,
  type EventConsumer,
  type EventHandler,
  type EventTailStart,
  type StoredEvent,
} from '../event-stream.js';
import { checkBucketName } from '../key-value.js';
import { checkMessage } from '../message-size.js';
import { checkNode } from '../node-name.js';
import { checkPublishSubject, checkSubscribeSubject, subjectMatches } from '../subject-match.js';
import { MemoryEventLog } from './memory-event-log.js';
import { MemoryJobQueue } from './memory-job-queue.js';
import { MemoryKeyValue } from './memory-key-value.js';

type DeadHandler = (node: string, data: Uint8Array, dead: DeadJob) => void;
type Subscriber = { pattern: string; handler: (subject: string, data: Uint8Array) => void };
type Server = { pattern: string; handler: (subject: string, data: Uint8Array) => Promise<Uint8Array> };

/** The in-process bus, for local mode and unit tests, with the same semantics as the JetStream one. */
export class MemoryBus implements Bus {
  private readonly queues = new Map<string, MemoryJobQueue>();
  private readonly subscribers = new Set<Subscriber>();
  private readonly servers = new Set<Server>();
  private readonly deadHandlers = new Set<DeadHandler>();
  private readonly buckets = new Map<string, MemoryKeyValue>();
  private readonly consumers = new Set<JobConsumer>();
  private readonly eventConsumers = new Set<EventConsumer>();
  private readonly eventLog = new MemoryEventLog();
  private closed = false;

  constructor(private readonly options: JobQueueOptions) {}

  private open(): void {
    if (this.closed) throw new Error('bus is closed');
  }

  private queue(node: string): MemoryJobQueue {
    // Keyed by subject token, as JetStream keys queues by subject: the same node name, the same queue.
    const key = subjectToken(checkNode(node));
    let queue = this.queues.get(key);
    if (!queue) {
      queue = new MemoryJobQueue(node, this.options, (dead) => this.reportDead(dead));
      this.queues.set(key, queue);
    }
    return queue;
  }

  private nextListener = 0;

  /** To one listener, taking turns: the same "each dead job once" as the NATS bus's queue group. */
  private reportDead(dead: DeadJob): void {
    const handlers = [...this.deadHandlers];
    const handler = handlers[this.nextListener++ % Math.max(1, handlers.length)];
    try {
      handler?.(dead.node, dead.data, dead);
    } catch {
      // The listener's failure is its own; the queue goes on.
    }
  }

  async publishJob(node: string, data: Uint8Array): Promise<void> {
    this.open();
    const queue = this.queue(node);
    queue.publish(checkMessage(`the job queue of node ${node}`, data, this.options.maxMessageBytes));
  }

  async nextJob(node: string, waitMs: number): Promise<ReceivedJob | undefined> {
    this.open();
    return this.queue(node).take(waitMs);
  }

  consume(node: string, handler: JobHandler, options?: ConsumeOptions): JobConsumer {
    this.open();
    const consumer = consumeJobs(this, node, handler, options);
    this.consumers.add(consumer);
    return {
      stop: () => {
        this.consumers.delete(consumer);
        return consumer.stop();
      },
    };
  }

  async onDeadJob(handler: DeadHandler): Promise<() => void> {
    this.deadHandlers.add(handler);
    return () => this.deadHandlers.delete(handler);
  }

  async publish(subject: string, data: Uint8Array): Promise<void> {
    this.open();
    checkMessage(`subject ${checkPublishSubject(subject)}`, data, this.options.maxMessageBytes);
    for (const s of this.subscribers) {
      if (!subjectMatches(s.pattern, subject)) continue;
      const copy = data.slice();
      // Delivered asynchronously, as NATS does: a subscriber never runs inside the publisher's call.
      queueMicrotask(() => {
        try {
          s.handler(subject, copy);
        } catch {
          // A subscriber's failure is its own; the publisher and other subscribers go on.
        }
      });
    }
  }

  async publishEvent(subject: string, data: Uint8Array, eventId: string): Promise<void> {
    await this.publish(checkEventSubject(subject), data); // checked and seen by plain subscribers, as on NATS
    this.eventLog.append(subject, data, eventId);
  }

  async consumeEvents(
    durable: string,
    handler: EventHandler,
    options: { onError?: (error: unknown) => void } = {},
  ): Promise<EventConsumer> {
    this.open();
    const consumer = this.eventLog.consume(durable, handler, options.onError ?? (() => {}));
    this.eventConsumers.add(consumer);
    return {
      stop: () => {
        this.eventConsumers.delete(consumer);
        return consumer.stop();
      },
    };
  }

  async recentEvents(sinceMs: number, limit: number): Promise<StoredEvent[]> {
    return this.eventLog.recent(sinceMs, limit);
  }

  async tailEvents(from: EventTailStart, handler: (event: StoredEvent) => void): Promise<() => void> {
    this.open();
    return this.eventLog.tail(from, handler);
  }

  async request(subject: string, data: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    this.open();
    checkMessage(`request on ${checkPublishSubject(subject)}`, data, this.options.maxMessageBytes);
    const server = [...this.servers].find((s) => subjectMatches(s.pattern, subject));
    if (!server) throw new Error(`no responders on ${subject}`);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`request on ${subject} timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([server.handler(subject, data.slice()), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async serve(
    subject: string,
    handler: (subject: string, data: Uint8Array) => Promise<Uint8Array>,
  ): Promise<() => void> {
    this.open();
    const entry = { pattern: checkSubscribeSubject(subject), handler };
    this.servers.add(entry);
    return () => this.servers.delete(entry);
  }

  async subscribe(
    subject: string,
    handler: (subject: string, data: Uint8Array) => void,
  ): Promise<() => void> {
    this.open();
    const entry = { pattern: checkSubscribeSubject(subject), handler };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }

  async keyValue(bucket: string): Promise<MemoryKeyValue> {
    this.open();
    let kv = this.buckets.get(checkBucketName(bucket));
    if (!kv) {
      kv = new MemoryKeyValue(bucket, this.options.maxMessageBytes);
      this.buckets.set(bucket, kv);
    }
    return kv;
  }

  /** In-process: nothing to reach, so no time; a closed bus answers nothing. */
  async roundTrip(_timeoutMs: number): Promise<number> {
    if (this.closed) throw new Error('bus is closed');
    return 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    const consumers = [...this.consumers, ...this.eventConsumers];
    this.consumers.clear();
    this.eventConsumers.clear();
    await Promise.all(consumers.map((c) => c.stop()));
    this.closed = true;
    for (const queue of this.queues.values()) queue.close();
    this.subscribers.clear();
  }
}
