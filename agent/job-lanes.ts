import type { Bus, ReceivedJob } from '../core/bus/bus.js';
import { decodeMessage, Job, MAX_BUS_MESSAGE_BYTES } from '../core/protocol/index.js';
import { Backoff } from '../core/service/backoff.js';
import { type Lane, type LaneSizes, laneOf } from './job-limits.js';

/** Jobs taken but waiting for their lane; each is kept alive (`working`) so it is not redelivered meanwhile. */
const MAX_WAITING = 64;
/** How often a waiting or running job tells the server it is still in hand (well under any ack wait). */
export const KEEPALIVE_MS = 5000;

export interface JobLanesOptions {
  bus: Bus;
  node: string;
  lanes: LaneSizes;
  pollMs: number;
  run(job: Job, received: ReceivedJob): Promise<void>;
  /** A message that is not a job this agent can read: answered, never run. */
  refuse(data: Uint8Array, reason: string, received: ReceivedJob): Promise<void>;
  /** The queue answered (true) or failed (false, with why): the agent's `jobs` readiness. */
  onQueue(ok: boolean, reason?: string): void;
  log(line: string): void;
}

interface Waiting {
  job: Job;
  received: ReceivedJob;
  keepalive: NodeJS.Timeout;
}

/**
 * The agent's job loop: one taker pulls the node's queue and hands each job to its lane (image pulls,
 * or host and runtime scans), so a registry that stalls holds the image lane only. A job whose lane is
 * full waits here, kept alive, in arrival order. A queue that fails (nats-server restarting, consumer gone)
 * is retried with backoff for as long as it takes: the loop never ends on a server error.
 */
export class JobLanes {
  private readonly running: Record<Lane, number> = { image: 0, node: 0 };
  private readonly waiting: Waiting[] = [];
  private readonly inFlight = new Set<Promise<void>>();
  private wake?: () => void;
  private stopping = false;

  constructor(private readonly options: JobLanesOptions) {}

  /** Pulls until `stop()`; resolves when every job in hand has finished (waiting ones are given back). */
  async run(): Promise<void> {
    const backoff = new Backoff({ firstMs: 250, maxMs: 5000 });
    while (!this.stopping) {
      if (!this.hasRoom()) {
        await new Promise<void>((resolve) => {
          this.wake = resolve;
        });
        this.wake = undefined;
        continue;
      }
      let received: ReceivedJob | undefined;
      try {
        received = await this.options.bus.nextJob(this.options.node, this.options.pollMs);
        backoff.reset();
        this.options.onQueue(true);
      } catch (error) {
        const reason = (error as Error).message;
        this.options.onQueue(false, reason);
        this.options.log(`job queue of ${this.options.node}: ${reason}; retrying`);
        await backoff.wait(() => this.stopping);
        continue;
      }
      if (received) this.take(received);
    }
    for (const w of this.waiting.splice(0)) {
      clearInterval(w.keepalive);
      await w.received.nak().catch(() => undefined); // another agent (or this one, restarted) takes it
    }
    await Promise.allSettled([...this.inFlight]);
  }

  stop(): void {
    this.stopping = true;
    this.wake?.();
  }

  /** Room to pull: a lane with a free slot, and not too many jobs already waiting. */
  private hasRoom(): boolean {
    const { lanes } = this.options;
    const free = (Object.keys(lanes) as Lane[]).some((lane) => this.running[lane] < lanes[lane]);
    return free && this.waiting.length < MAX_WAITING;
  }

  private take(received: ReceivedJob): void {
    const decoded = decodeMessage(Job, Buffer.from(received.data), MAX_BUS_MESSAGE_BYTES);
    if (!decoded.ok) {
      this.track(this.options.refuse(received.data, decoded.error, received));
      return;
    }
    const lane = laneOf(decoded.value.kind);
    if (this.running[lane] < this.options.lanes[lane]) this.start(lane, decoded.value, received);
    else
      this.waiting.push({
        job: decoded.value,
        received,
        keepalive: setInterval(() => void received.working().catch(() => undefined), KEEPALIVE_MS),
      });
  }

  private start(lane: Lane, job: Job, received: ReceivedJob): void {
    this.running[lane]++;
    this.track(
      this.options.run(job, received).finally(() => {
        this.running[lane]--;
        const next = this.waiting.findIndex((w) => laneOf(w.job.kind) === lane);
        if (next >= 0 && !this.stopping) {
          const [w] = this.waiting.splice(next, 1);
          clearInterval(w!.keepalive);
          this.start(lane, w!.job, w!.received);
        }
        this.wake?.();
      }),
    );
  }

  private track(work: Promise<void>): void {
    const settled = work.catch((error) =>
      this.options.log(`job handling failed: ${(error as Error).message}`),
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
  }
}
