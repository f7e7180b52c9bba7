import { subjectToken } from '../protocol/bus-messages.js';
import { type Bus, type JobQueueOptions, type ReceivedJob, subjectMatches } from './bus.js';
import { MemoryKeyValue } from './memory-key-value.js';

interface QueuedJob {
  id: number;
  data: Uint8Array;
  deliveries: number;
  /** When the job may be handed out again (0: now). */
  availableAt: number;
  /** Set while a consumer holds it. */
  lease?: ReturnType<typeof setTimeout>;
}

/**
 * The in-process bus, for local mode and unit tests, with the same semantics as the JetStream one:
 * each job goes to one consumer at a time, comes back after `ackWaitMs` without an ack, and is dead
 * after `maxDeliver` deliveries.
 */
export class MemoryBus implements Bus {
  private readonly queues = new Map<string, QueuedJob[]>();
  private readonly waiters = new Map<string, Array<() => void>>();
  private readonly subscribers = new Set<{
    pattern: string;
    handler: (subject: string, data: Uint8Array) => void;
  }>();
  private readonly deadHandlers = new Set<(node: string, data: Uint8Array) => void>();
  private nextId = 0;
  private closed = false;

  constructor(private readonly options: JobQueueOptions) {}

  private queue(node: string): QueuedJob[] {
    const key = subjectToken(node);
    let queue = this.queues.get(key);
    if (!queue) {
      queue = [];
      this.queues.set(key, queue);
    }
    return queue;
  }

  private wake(node: string): void {
    for (const waiter of this.waiters.get(subjectToken(node))?.splice(0) ?? []) waiter();
  }

  async publishJob(node: string, data: Uint8Array): Promise<void> {
    this.queue(node).push({ id: this.nextId++, data, deliveries: 0, availableAt: 0 });
    this.wake(node);
  }

  async nextJob(node: string, waitMs: number): Promise<ReceivedJob | undefined> {
    const deadline = Date.now() + waitMs;
    while (!this.closed) {
      const now = Date.now();
      const queue = this.queue(node);
      const job = queue.find((j) => !j.lease && j.availableAt <= now);
      if (job) return this.deliver(node, job);
      const soonest = Math.min(deadline, ...queue.filter((j) => !j.lease).map((j) => j.availableAt));
      if (now >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, soonest - now));
        const list = this.waiters.get(subjectToken(node)) ?? [];
        list.push(() => {
          clearTimeout(timer);
          resolve();
        });
        this.waiters.set(subjectToken(node), list);
      });
    }
    return undefined;
  }

  private deliver(node: string, job: QueuedJob): ReceivedJob {
    job.deliveries++;
    const queue = this.queue(node);
    const release = (delay: number) => {
      if (job.lease) clearTimeout(job.lease);
      job.lease = undefined;
      if (job.deliveries >= this.options.maxDeliver) {
        queue.splice(queue.indexOf(job), 1);
        for (const handler of this.deadHandlers) handler(node, job.data);
        return;
      }
      job.availableAt = Date.now() + delay;
      this.wake(node);
    };
    const lease = () => setTimeout(() => release(0), this.options.ackWaitMs);
    job.lease = lease();
    let settled = false;
    return {
      data: job.data,
      deliveryCount: job.deliveries,
      ack: async () => {
        if (settled) return;
        settled = true;
        if (job.lease) clearTimeout(job.lease);
        const index = queue.indexOf(job);
        if (index >= 0) queue.splice(index, 1);
      },
      nak: async (delayMs = 0) => {
        if (settled) return;
        settled = true;
        release(delayMs);
      },
      working: async () => {
        if (settled || !job.lease) return;
        clearTimeout(job.lease);
        job.lease = lease();
      },
    };
  }

  async onDeadJob(handler: (node: string, data: Uint8Array) => void): Promise<() => void> {
    this.deadHandlers.add(handler);
    return () => this.deadHandlers.delete(handler);
  }

  async publish(subject: string, data: Uint8Array): Promise<void> {
    for (const s of this.subscribers) if (subjectMatches(s.pattern, subject)) s.handler(subject, data);
  }

  async subscribe(
    subject: string,
    handler: (subject: string, data: Uint8Array) => void,
  ): Promise<() => void> {
    const entry = { pattern: subject, handler };
    this.subscribers.add(entry);
    return () => this.subscribers.delete(entry);
  }

  private readonly buckets = new Map<string, MemoryKeyValue>();

  async keyValue(bucket: string): Promise<MemoryKeyValue> {
    let kv = this.buckets.get(bucket);
    if (!kv) {
      kv = new MemoryKeyValue();
      this.buckets.set(bucket, kv);
    }
    return kv;
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const queue of this.queues.values()) for (const job of queue) if (job.lease) clearTimeout(job.lease);
    for (const list of this.waiters.values()) for (const waiter of list.splice(0)) waiter();
  }
}
