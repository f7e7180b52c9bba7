import type { DeadJob, JobQueueOptions, ReceivedJob } from '../bus.js';

interface QueuedJob {
  data: Uint8Array;
  deliveries: number;
  /** When the job may be handed out again (0: now). */
  availableAt: number;
  /** Set while a taker holds it; firing means the ack wait ran out. */
  lease?: ReturnType<typeof setTimeout>;
}

/**
 * One node's work queue in process, with JetStream WorkQueue semantics: a job goes to one taker at a time,
 * comes back after `ackWaitMs` without an ack, is held back by a nak's delay, and is dead (reported, gone)
 * once a delivery numbered `maxDeliver` ends without an ack.
 */
export class MemoryJobQueue {
  private readonly jobs: QueuedJob[] = [];
  private readonly waiters = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly node: string,
    private readonly options: JobQueueOptions,
    private readonly onDead: (dead: DeadJob) => void,
  ) {}

  publish(data: Uint8Array): void {
    this.jobs.push({ data: data.slice(), deliveries: 0, availableAt: 0 });
    this.wake();
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  async take(waitMs: number): Promise<ReceivedJob | undefined> {
    const deadline = Date.now() + waitMs;
    while (!this.closed) {
      const now = Date.now();
      const job = this.jobs.find((j) => !j.lease && j.availableAt <= now);
      if (job) return this.deliver(job);
      if (now >= deadline) return undefined;
      const wake = this.jobs.reduce(
        (soonest, j) => (!j.lease && j.availableAt > now ? Math.min(soonest, j.availableAt) : soonest),
        deadline,
      );
      await this.sleep(wake - now);
    }
    return undefined;
  }

  /** Waits until `ms` pass or something changes in the queue. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(1, ms));
      this.waiters.add(done);
    });
  }

  private remove(job: QueuedJob): void {
    if (job.lease) clearTimeout(job.lease);
    job.lease = undefined;
    const index = this.jobs.indexOf(job);
    if (index >= 0) this.jobs.splice(index, 1);
  }

  /** The taker let go (nak or ack wait ran out): back in the queue, or dead after its last delivery. */
  private release(job: QueuedJob, delayMs: number): void {
    if (!this.jobs.includes(job)) return; // acked meanwhile
    if (job.lease) clearTimeout(job.lease);
    job.lease = undefined;
    if (job.deliveries >= this.options.maxDeliver) {
      this.remove(job);
      const dead = { node: this.node, data: job.data, deliveries: job.deliveries };
      queueMicrotask(() => this.onDead(dead));
    } else {
      job.availableAt = Date.now() + Math.max(0, delayMs);
    }
    this.wake();
  }

  private deliver(job: QueuedJob): ReceivedJob {
    job.deliveries++;
    const lease = () => {
      if (job.lease) clearTimeout(job.lease);
      job.lease = setTimeout(() => this.release(job, 0), this.options.ackWaitMs);
    };
    lease();
    const delivery = job.deliveries;
    // Only the current delivery may give the job back or extend it; a late ack from an earlier taker
    // still completes the job, as JetStream acks by stream sequence.
    const current = () => job.deliveries === delivery && job.lease !== undefined;
    return {
      data: job.data.slice(),
      deliveryCount: delivery,
      ack: async () => this.remove(job),
      nak: async (delayMs = 0) => {
        if (current()) this.release(job, delayMs);
      },
      working: async () => {
        if (current()) lease();
      },
    };
  }

  close(): void {
    this.closed = true;
    for (const job of this.jobs) if (job.lease) clearTimeout(job.lease);
    this.wake();
  }
}
