import type { Bus, ReceivedJob } from '../core/bus/bus.js';
import { heartbeatKey, nodeScanSubject } from '../core/bus/nats/nats-permissions.js';
import type { Finding } from '../core/model/index.js';
import {
  encodeFindingBatches,
  type Heartbeat,
  type Job,
  type JobFindings,
  type JobOutcome,
  type JobStarted,
  MAX_BUS_MESSAGE_BYTES,
  MAX_JOB_PROBLEMS,
  MAX_PROBLEM_CHARS,
  PROTOCOL_VERSION,
} from '../core/protocol/index.js';
import { Backoff, retrying } from '../core/service/backoff.js';
import { Readiness } from '../core/service/readiness.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { encodeFindings, jobFailureKey, jobProblemsKey, jobResultKey } from '../core/store/scan-objects.js';
import { JobLanes, KEEPALIVE_MS } from './job-lanes.js';
import { DEFAULT_JOB_LIMITS, DEFAULT_LANES, type JobLimits, type LaneSizes } from './job-limits.js';
import { type TicketClient, TicketRefusedError } from './job-ticket-client.js';
import { JobTimeoutError, watchJob } from './job-watch.js';
import { refusedOutcome } from './refused-job.js';
import { type AgentContext, runJob } from './run-job.js';
import { AGENT_VERSION } from './version.js';

export interface AgentOptions extends AgentContext {
  bus: Bus;
  /** The runtime watcher's sensor and counters, sent with every heartbeat (`kubectl seco status`). */
  runtimeStatus?: () => Heartbeat['runtime'];
  /**
   * A store the agent may use freely: embedded (in-process) stacks, tests, an agent given keys on purpose.
   * A cluster agent has none: each job's objects are pre-signed URLs its ticket's grants give.
   */
  store?: ObjectStore;
  /** Each job's go-ahead and pull credentials from the aggregator (every agent in a stack has it). */
  tickets?: TicketClient;
  /** How long one poll of the queue waits before checking whether to stop. */
  pollMs?: number;
  now?: () => Date;
  log?: (line: string) => void;
  /** What runs a job: the scanners (default); the cluster benchmark puts a synthetic load here. */
  runJob?: typeof runJob;
  /** Per kind: overall deadline and no-progress timeout. */
  limits?: JobLimits;
  /** Jobs at once per lane (image pulls; host and runtime scans). */
  lanes?: LaneSizes;
  /** Where the agent says what it depends on is failing (`/readyz`). */
  readiness?: Readiness;
  /** How long results and outcomes are retried while the object store or NATS is away (default 120 s). */
  deliverForMs?: number;
  /** How often the heartbeat is written (default 10 s); the aggregator's stale window should be 3 of these. */
  heartbeatMs?: number;
  /** Where runtime events come from now (`netlink`, `poll`, `off`), said in each heartbeat for `watch`'s nodes screen. */
  sensor?: () => string | undefined;
  /** The queue jobs are taken from: the node's own by default; a tools runner's (core/protocol/tool-queues.ts). */
  queue?: string;
  /** The heartbeat's key in `seco-agents` (default the node's agent key) and what else it says (a tools runner's tools). */
  heartbeat?: { key: string; extra: () => Partial<Heartbeat> };
}

const text = (value: unknown) => Buffer.from(JSON.stringify(value));

/** Only the first timeout of a job is retried: one that times out again is dead, with its reason. */
const TIMEOUT_ATTEMPTS = 2;
/** Clocks of the aggregator's and the agent's nodes may differ this much before a job counts as expired. */
const CLOCK_SKEW_MS = 60_000;
/** A job whose ticket could not be asked for (no aggregator answering) is given back for this long. */
const NO_TICKET_RETRY_MS = 5000;

/**
 * The node agent: takes its node's jobs in lanes (job-lanes.ts), runs each under its kind's limits
 * (job-watch.ts), writes results to the object store, publishes findings and the outcome, and acks
 * last — so an agent that dies mid-job leaves the job to be redelivered, and the redelivery overwrites
 * the same result key. A server that goes away (NATS, S3) is waited for with backoff; nothing here ends
 * the process.
 */
export class Agent {
  private stopping = false;
  private running?: Promise<void>;
  private readonly lanes: JobLanes;
  readonly readiness: Readiness;

  constructor(private readonly options: AgentOptions) {
    if (!options.store && !options.tickets)
      throw new Error('an agent needs job tickets (a cluster) or an object store of its own (embedded)');
    this.readiness = options.readiness ?? new Readiness();
    this.lanes = new JobLanes({
      bus: options.bus,
      node: options.queue ?? options.node,
      lanes: options.lanes ?? DEFAULT_LANES,
      pollMs: options.pollMs ?? 1000,
      run: (job, received) => this.handle(job, received),
      refuse: (data, reason, received) => this.refuse(data, reason, received),
      onQueue: (ok, reason) =>
        ok ? this.readiness.ok('jobs') : this.readiness.degraded('jobs', reason ?? 'failing'),
      log: (line) => this.log(line),
    });
  }

  start(): void {
    this.running ??= Promise.all([this.lanes.run(), this.heartbeats()]).then(() => undefined);
  }

  /** Finishes the jobs in hand (waiting ones are given back), stops taking new ones. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.lanes.stop();
    await this.running;
  }

  private log(line: string): void {
    this.options.log?.(line);
  }

  /** `agents/<node>` in the `seco-agents` bucket, refreshed every 10 s (default): the aggregator's view of who is alive. */
  private async heartbeats(): Promise<void> {
    const startedAt = new Date().toISOString();
    const key = this.options.heartbeat?.key ?? heartbeatKey(this.options.node);
    const backoff = new Backoff({ firstMs: 500, maxMs: 5000 });
    let kv: Awaited<ReturnType<Bus['keyValue']>> | undefined;
    while (!this.stopping) {
      const beat: Heartbeat = {
        v: PROTOCOL_VERSION,
        type: 'heartbeat',
        node: this.options.node,
        agentVersion: AGENT_VERSION,
        startedAt,
        sentAt: new Date().toISOString(),
        ...(this.options.runtimeStatus ? { runtime: this.options.runtimeStatus() } : {}),
        ...this.options.heartbeat?.extra(),
      };
      const sensor = this.options.sensor?.();
      if (sensor) beat.sensor = sensor;
      try {
        kv ??= await this.options.bus.keyValue('seco-agents');
        await kv.put(key, text(beat));
        backoff.reset();
        this.readiness.ok('heartbeat');
      } catch (error) {
        this.readiness.degraded('heartbeat', (error as Error).message);
        this.log(`heartbeat failed: ${(error as Error).message}`);
        await backoff.wait(() => this.stopping);
        continue;
      }
      const every = this.options.heartbeatMs ?? 10_000;
      for (let waited = 0; waited < every && !this.stopping; waited += 250)
        await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Retries `attempt` while the server it needs is away; `what` names it in logs and readiness. */
  private deliver<T>(condition: 'nats' | 's3', what: string, attempt: () => Promise<T>): Promise<T> {
    return retrying(attempt, {
      forMs: this.options.deliverForMs ?? 120_000,
      firstMs: 250,
      maxMs: 5000,
      onRetry: (error) => {
        this.readiness.degraded(condition, `${what}: ${(error as Error).message}`);
        this.log(`${what}: ${(error as Error).message}; retrying`);
      },
    }).then((value) => {
      this.readiness.ok(condition);
      return value;
    });
  }

  /** Findings as they are found, for live consumers; the stored result stays the record the report is built from. */
  private async publishFindings(job: Job, findings: readonly Finding[]): Promise<void> {
    const envelope: Omit<JobFindings, 'findings'> = {
      v: PROTOCOL_VERSION,
      type: 'job.findings',
      jobId: job.jobId,
      scanId: job.scanId,
      node: this.options.node,
    };
    for (const message of encodeFindingBatches(findings, envelope, MAX_BUS_MESSAGE_BYTES))
      await this.deliver('nats', `findings of job ${job.jobId}`, () =>
        this.options.bus.publish(
          nodeScanSubject('findings', this.options.node, job.scanId),
          Buffer.from(message),
        ),
      );
  }

  /** A job no agent can read will never succeed: its outcome says why, so nobody waits for it. */
  private async refuse(data: Uint8Array, reason: string, received: ReceivedJob): Promise<void> {
    this.log(`refused job: ${reason}`);
    const outcome = refusedOutcome(data, this.options.node, reason);
    if (outcome)
      await this.deliver('nats', 'outcome of a refused job', () =>
        this.options.bus.publish(
          nodeScanSubject('progress', this.options.node, outcome.scanId),
          text(outcome),
        ),
      );
    await received.ack().catch((error) => this.log(`refused job not acked: ${(error as Error).message}`));
  }

  /**
   * Tells the aggregator the job started, so it can time it out at the kind's deadline even if this agent
   * gets stuck. Not awaited: the job does not wait on NATS; a start that arrives after the outcome is ignored.
   */
  private announceStart(job: Job, delivery: number, deadlineMs: number): void {
    const started: JobStarted = {
      v: PROTOCOL_VERSION,
      type: 'job.started',
      jobId: job.jobId,
      scanId: job.scanId,
      node: this.options.node,
      startedAt: new Date().toISOString(),
      delivery,
      deadlineMs: Math.round(deadlineMs),
    };
    void this.deliver('nats', `start of job ${job.jobId}`, () =>
      this.options.bus.publish(nodeScanSubject('progress', this.options.node, job.scanId), text(started)),
    ).catch((e) => this.log(`start of job ${job.jobId} not published: ${(e as Error).message}`));
  }

  /**
   * What a job runs with: in a cluster its ticket (refused for a replayed, settled or foreign job) with the
   * pull credentials, and a store of exactly the objects the aggregator grants it; embedded, the agent's own.
   * Undefined when the job must not run (it has been refused or given back).
   */
  private async equip(
    job: Job,
    received: ReceivedJob,
  ): Promise<{ job: Job; store: ObjectStore } | undefined> {
    const now = (this.options.now ?? (() => new Date()))().getTime();
    if (job.expiresAt !== undefined && now > job.expiresAt + CLOCK_SKEW_MS) {
      await this.refuse(
        received.data,
        `the job expired at ${new Date(job.expiresAt).toISOString()}`,
        received,
      );
      return undefined;
    }
    const { tickets, store } = this.options;
    if (!tickets) return { job, store: store! };
    try {
      const ticket = await tickets.ticket(job);
      return {
        job:
          (job.kind === 'image' || job.kind === 'tools') && ticket.credentials
            ? { ...job, credentials: ticket.credentials }
            : job,
        store: store ?? tickets.store(job),
      };
    } catch (error) {
      if (error instanceof TicketRefusedError) {
        // Not published as an outcome: the aggregator refused the job, so it has nothing to learn from us.
        this.log(`job ${job.jobId} refused by the aggregator: ${error.message}`);
        await received.ack().catch(() => undefined);
      } else {
        this.readiness.degraded('nats', `ticket of job ${job.jobId}: ${(error as Error).message}`);
        await received.nak(NO_TICKET_RETRY_MS).catch(() => undefined);
      }
      return undefined;
    }
  }

  private async handle(queued: Job, received: ReceivedJob): Promise<void> {
    const equipped = await this.equip(queued, received);
    if (!equipped) return;
    const { job, store } = equipped;
    const keepalive = setInterval(() => void received.working().catch(() => undefined), KEEPALIVE_MS);
    const outcome: JobOutcome = {
      v: PROTOCOL_VERSION,
      type: 'job.done',
      jobId: job.jobId,
      scanId: job.scanId,
      node: this.options.node,
      status: 'acked',
      findings: 0,
    };
    const limits = (this.options.limits ?? DEFAULT_JOB_LIMITS)[job.kind];
    this.announceStart(job, received.deliveryCount, limits.deadlineMs);
    try {
      const now = (this.options.now ?? (() => new Date()))();
      // Progress: bytes for image pulls, checks for host scans, processes for runtime snapshots.
      const result = await watchJob(limits, (watch) =>
        (this.options.runJob ?? runJob)(job, { ...this.options, store }, now, watch),
      );
      const { findings, problems } = Array.isArray(result) ? { findings: result, problems: [] } : result;
      if (problems.length > 0) {
        outcome.problems = problems.map((p) => p.slice(0, MAX_PROBLEM_CHARS)).slice(0, MAX_JOB_PROBLEMS);
        // Kept beside the result, so a replica taking the scan over (it reads the store, not the bus) sees them.
        const problemsBody = JSON.stringify(outcome.problems);
        await this.deliver('s3', `problems of job ${job.jobId}`, () =>
          store.put(jobProblemsKey(job.scanId, job.jobId), problemsBody, { contentType: 'application/json' }),
        );
      }
      const resultKey = jobResultKey(job.scanId, job.jobId);
      const body = encodeFindings(findings);
      await this.deliver('s3', `result of job ${job.jobId}`, () =>
        store.put(resultKey, body, { contentType: 'application/x-ndjson' }),
      );
      await this.publishFindings(job, findings);
      outcome.resultKey = resultKey;
      outcome.findings = findings.length;
    } catch (error) {
      if (error instanceof JobTimeoutError && received.deliveryCount < TIMEOUT_ATTEMPTS) {
        clearInterval(keepalive);
        this.log(`${job.kind} job ${job.jobId}: ${error.message}; given back for one more try`);
        await received
          .nak()
          .catch((e) => this.log(`job ${job.jobId} not given back: ${(e as Error).message}`));
        return;
      }
      outcome.status = 'failed';
      outcome.error = (
        error instanceof JobTimeoutError
          ? `${job.kind} job timed out on node ${this.options.node} (delivery ${received.deliveryCount}, dead): ${error.message}`
          : (error as Error).message
      ).slice(0, 4000);
      const failure = JSON.stringify({ error: outcome.error });
      await this.deliver('s3', `failure record of job ${job.jobId}`, () =>
        store.put(jobFailureKey(job.scanId, job.jobId), failure, { contentType: 'application/json' }),
      ).catch((e) => this.log(`cannot record the failure of job ${job.jobId}: ${(e as Error).message}`));
    } finally {
      clearInterval(keepalive);
    }
    await this.deliver('nats', `outcome of job ${job.jobId}`, () =>
      this.options.bus.publish(nodeScanSubject('progress', this.options.node, job.scanId), text(outcome)),
    ).catch((e) => this.log(`outcome of job ${job.jobId} not published: ${(e as Error).message}`));
    // A lost ack (server restarting) redelivers the job: it runs again and overwrites the same result key.
    await received.ack().catch((e) => this.log(`job ${job.jobId} not acked: ${(e as Error).message}`));
  }
}
