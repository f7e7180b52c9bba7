import { type Bus, BusMessageTooLargeError } from '../core/bus/bus.js';
import { nodeFromToken } from '../core/bus/node-name.js';
import type { FeedbackRule } from '../core/feedback/feedback-rules.js';
import type { KubeView } from '../core/kube/kube-view.js';
import type { Finding } from '../core/model/index.js';
import {
  AgentJobMessage,
  decodeMessage,
  encodeMessage,
  Job,
  type JobOutcome,
  jobQueue,
  MAX_BUS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ScanTarget,
  type ServerMessage,
} from '../core/protocol/index.js';
import { retrying } from '../core/service/backoff.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { scanPoliciesKey } from '../core/store/scan-objects.js';
import { AgentDirectory } from './agent-directory.js';
import { FeedbackQueue } from './feedback-queue.js';
import { JobDeadlines } from './job-deadlines.js';
import { JobTickets } from './job-tickets.js';
import { JobsWatchdog } from './jobs-watchdog.js';
import type { AggregatorMetrics } from './metrics.js';
import { readJobFindings } from './report-assembly.js';
import { ScanFinisher } from './scan-finisher.js';
import { ScanPlanner } from './scan-planner.js';
import { ScanPublisher } from './scan-publisher.js';
import { allJobsSettled, type JobState, type ScanRecord } from './scan-record.js';
import { newScanId, ScanStore } from './scan-store.js';
import { ScanTakeover } from './scan-takeover.js';
import { JobFindingsCache, StreamedFindings } from './streamed-findings.js';

export interface CoordinatorOptions {
  bus: Bus;
  store: ObjectStore;
  kube: KubeView;
  /** This replica's name (the pod name in a cluster): owner of the scans it started or took over. */
  replicaId: string;
  feedbackRules?: readonly FeedbackRule[];
  cluster?: string;
  /** How long queued jobs are waited for before they count as timed out (default 10 min). */
  jobTimeoutMs?: number;
  /** Per kind: how long a job may run once its agent said it started (default: the agents' defaults). */
  jobDeadlinesMs?: Record<Job['kind'], number>;
  /** Added to a started job's deadline before the aggregator times it out (default 30 s). */
  jobDeadlineGraceMs?: number;
  /** Progress of one scan is published at most this often (default 500 ms; the newest state wins). */
  progressEveryMs?: number;
  /** How long a scan stays this replica's without a renewal (default 15 s). */
  leaseMs?: number;
  tickMs?: number;
  /** How long without a heartbeat before an agent's queued jobs are failed or moved (default 30 s). */
  agentStaleMs?: number;
  /** How often the watchdog looks at an open scan's queued jobs (default 5 s). */
  watchdogEveryMs?: number;
  /** Since when this replica's bus connection is up (epoch ms); agents are judged only after a full window of it. */
  busUpSince?: () => number;
  now?: () => number;
  log?: (line: string) => void;
  metrics?: AggregatorMetrics;
  /** Tickets a job's agent may get (one per delivery the job queue allows; default 5). */
  maxTickets?: number;
}

export type ScannerName = ScanRecord['scanners'][number];
export const ALL_SCANNERS: readonly ScannerName[] = ['config', 'image', 'host', 'runtime'];

/**
 * The scan state machine (resolving → running → finishing → done | failed). Every transition is a
 * compare-and-set on the scan's KV record, so any replica may apply one; the owner (lease holder) is
 * the one that ingests job results, streams findings and finishes the scan. A replica that sees a
 * lease expire takes the scan over and catches up from the object store.
 */
export class ScanCoordinator {
  private scans?: ScanStore;
  private readonly chains = new Map<string, Promise<unknown>>();
  private readonly stops: Array<() => void> = [];
  private timer?: NodeJS.Timeout;
  private ticking = false;
  private stopped = false;
  readonly now: () => number;
  readonly agents: AgentDirectory;
  readonly publisher: ScanPublisher;
  readonly streamed = new StreamedFindings();
  readonly jobFindings = new JobFindingsCache();
  readonly watchdog: JobsWatchdog;
  readonly deadlines: JobDeadlines;
  private planner?: ScanPlanner;
  private finisher?: ScanFinisher;
  private feedback?: FeedbackQueue;
  private takeover?: ScanTakeover;
  private tickets?: JobTickets;

  constructor(readonly options: CoordinatorOptions) {
    this.now = options.now ?? Date.now;
    this.agents = new AgentDirectory(options.bus, this.now, options.agentStaleMs);
    this.watchdog = new JobsWatchdog(this, {
      ...(options.watchdogEveryMs ? { everyMs: options.watchdogEveryMs } : {}),
      ...(options.busUpSince ? { busUpSince: options.busUpSince } : {}),
    });
    this.deadlines = new JobDeadlines(this, {
      ...(options.jobDeadlinesMs ? { deadlinesMs: options.jobDeadlinesMs } : {}),
      ...(options.jobDeadlineGraceMs !== undefined ? { graceMs: options.jobDeadlineGraceMs } : {}),
    });
    this.publisher = new ScanPublisher(options.bus, options.progressEveryMs, this.now, (line) =>
      this.log(line),
    );
  }

  get leaseMs(): number {
    return this.options.leaseMs ?? 15_000;
  }

  get store(): ScanStore {
    if (!this.scans) throw new Error('the scan coordinator is not started');
    return this.scans;
  }

  async start(): Promise<void> {
    const { bus } = this.options;
    this.scans = new ScanStore(await bus.keyValue('seco-scans'), await bus.keyValue('seco-scan-jobs'));
    await this.scans.start();
    this.finisher = new ScanFinisher(this);
    this.feedback = new FeedbackQueue(this, this.options.feedbackRules ?? []);
    this.planner = new ScanPlanner(this);
    this.takeover = new ScanTakeover(this);
    this.tickets = new JobTickets({
      bus,
      scans: () => this.store,
      store: this.options.store,
      kube: this.options.kube,
      maxTickets: this.options.maxTickets ?? 5,
      now: this.now,
      log: (line) => this.log(line),
    });
    await this.tickets.start();
    this.stops.push(() => this.tickets?.close());
    this.stops.push(await bus.subscribe('seco.progress.>', (subject, data) => this.onOutcome(subject, data)));
    this.stops.push(await bus.onDeadJob((_node, data) => this.onDeadJob(data)));
    this.timer = setInterval(() => void this.tick(), this.options.tickMs ?? 1000);
  }

  /** Stops taking part and hands this replica's scans to the others at once (their leases end now). */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    for (const stop of this.stops.splice(0)) stop();
    await Promise.allSettled([...this.chains.values()]);
    if (!this.scans) return;
    this.scans.stop();
    for (const scanId of await this.scans.ids().catch(() => [])) {
      await this.scans
        .update(scanId, (r) => (r.owner === this.options.replicaId ? { ...r, leaseUntil: 0 } : undefined))
        .catch(() => undefined);
    }
  }

  /** Records a new scan; `plan` then resolves and queues it. The caller subscribes to its updates in between. */
  async createScan(
    target: ScanTarget,
    scanners: readonly ScannerName[],
    requestedBy: string,
    admission: { policies?: readonly Record<string, unknown>[]; clusterPolicies?: boolean } = {},
  ): Promise<ScanRecord> {
    const now = this.now();
    const record: ScanRecord = {
      scanId: newScanId(now),
      target,
      targetName: describeTarget(target),
      requestedBy,
      scanners: [...new Set(scanners)],
      status: 'resolving',
      startedAt: new Date(now).toISOString(),
      deadline: now + (this.options.jobTimeoutMs ?? 600_000),
      owner: this.options.replicaId,
      leaseUntil: now + this.leaseMs,
      jobs: {},
      problems: [],
      ...(admission.policies?.length ? { policies: admission.policies.length } : {}),
      ...(admission.clusterPolicies ? { clusterPolicies: true } : {}),
    };
    // Policies go to the bucket before the record: any replica that plans the scan can read them.
    if (admission.policies?.length)
      await this.options.store.put(scanPoliciesKey(record.scanId), JSON.stringify(admission.policies), {
        contentType: 'application/json',
      });
    await this.store.create(record);
    this.options.metrics?.scanStarted();
    return record;
  }

  plan(scanId: string): Promise<void> {
    return this.serially(scanId, () => this.planNow(scanId));
  }

  /** Plans now: only from work already running serially for this scan. */
  planNow(scanId: string): Promise<void> {
    return this.planner!.plan(scanId);
  }

  /** Finishes now (a `finishing` scan this replica owns): only from work already running serially. */
  finishNow(scanId: string): Promise<void> {
    return this.finisher!.finish(scanId);
  }

  /** Runs `work` after whatever this replica is already doing for the scan: one change at a time per scan. */
  serially<T>(scanId: string, work: () => Promise<T>): Promise<T> {
    const previous = this.chains.get(scanId) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch((error) => this.log(`scan ${scanId}: ${(error as Error).message}`));
    this.chains.set(scanId, settled);
    void settled.then(() => {
      if (this.chains.get(scanId) === settled) this.chains.delete(scanId);
    });
    return next;
  }

  log(line: string): void {
    this.options.log?.(line);
  }

  isMine(record: ScanRecord): boolean {
    return record.owner === this.options.replicaId;
  }

  async publish(scanId: string, message: ServerMessage): Promise<void> {
    await this.publisher.publish(scanId, message);
  }

  async publishFindings(scanId: string, findings: readonly Finding[]): Promise<void> {
    this.options.metrics?.findingsSeen(findings);
    await this.publisher.publishFindings(scanId, findings);
  }

  async publishProgress(record: ScanRecord, message?: string): Promise<void> {
    await this.publisher.publishProgress(record, message);
  }

  /** Marks a queued job settled; returns the new record, or undefined when it was not queued (already settled). */
  async settleJob(
    scanId: string,
    jobId: string,
    state: Exclude<JobState, 'queued'>,
    details: { findings?: number; error?: string; problems?: string[] },
  ): Promise<ScanRecord | undefined> {
    const result = await this.store.updateJob(scanId, jobId, (job) =>
      job.state === 'queued' ? { ...job, state, ...details } : undefined,
    );
    if (!result?.changed) return undefined;
    this.options.metrics?.jobSettled(state);
    return result.record;
  }

  /** Finishes the scan when nothing is left to wait for. */
  async finishIfSettled(record: ScanRecord): Promise<void> {
    if (record.status === 'running' && allJobsSettled(record)) await this.finisher!.finish(record.scanId);
  }

  /** The owner's ingestion of one job's stored result: stream what is new, ask the feedback rules, settle. */
  async ingest(
    scanId: string,
    jobId: string,
    outcome: Pick<JobOutcome, 'status' | 'error' | 'problems'>,
  ): Promise<void> {
    const record = await this.store.get(scanId);
    if (!record || !this.isMine(record) || record.jobs[jobId]?.state !== 'queued') return;
    let findings: Finding[] = [];
    let state: Exclude<JobState, 'queued'> = outcome.status;
    let error = outcome.error;
    if (state === 'acked') {
      try {
        findings = (await readJobFindings(this.options.store, scanId, jobId)) ?? [];
      } catch (readError) {
        state = 'failed';
        error = (readError as Error).message;
      }
    }
    const fresh = this.streamed.fresh(scanId, findings);
    const settled = await this.settleJob(scanId, jobId, state, {
      ...(state === 'acked' ? { findings: findings.length } : {}),
      ...(state === 'acked' && outcome.problems?.length ? { problems: outcome.problems } : {}),
      ...(error ? { error: error.slice(0, 4000) } : {}),
    });
    if (!settled) return;
    if (state === 'acked') this.jobFindings.set(scanId, jobId, findings);
    await this.publishFindings(scanId, fresh);
    const withFeedback = (await this.feedback!.queueFor(settled, jobId, fresh)) ?? settled;
    await this.publishProgress(
      withFeedback,
      `${settled.jobs[jobId]?.kind} job on ${settled.jobs[jobId]?.node}: ${state}`,
    );
    await this.finishIfSettled(withFeedback);
  }

  /**
   * An agent's word on a job — it started (timed from now on), or its outcome — on
   * `seco.progress.<node>.<scan>`: only that node's NATS user may publish there, so the subject proves the
   * sender, and a message about a job of another node (a stolen or confused identity) is ignored, as is
   * one on any other subject.
   */
  private onOutcome(subject: string, data: Uint8Array): void {
    const tokens = subject.split('.');
    if (tokens.length !== 4) {
      this.log(`ignored a job message on ${subject}: they come on seco.progress.<node>.<scan>`);
      return;
    }
    const sender = nodeFromToken(tokens[2]!);
    const decoded = decodeMessage(AgentJobMessage, data, MAX_BUS_MESSAGE_BYTES);
    if (!decoded.ok) {
      this.log(`refused job message from node ${sender}: ${decoded.error}`);
      return;
    }
    const message = decoded.value;
    if (message.node !== sender) {
      this.log(`ignored a message from node ${sender} claiming node ${message.node} (job ${message.jobId})`);
      return;
    }
    void this.serially(message.scanId, async () => {
      const job = (await this.store.get(message.scanId))?.jobs[message.jobId];
      if (job && job.node !== sender) {
        this.log(`ignored a message from node ${sender} for job ${message.jobId} of node ${job.node}`);
        return;
      }
      if (message.type === 'job.started') await this.deadlines.started(message);
      else await this.ingest(message.scanId, message.jobId, message);
    });
  }

  private onDeadJob(data: Uint8Array): void {
    const decoded = decodeMessage(Job, data, MAX_BUS_MESSAGE_BYTES);
    if (!decoded.ok) return;
    const job = decoded.value;
    void this.serially(job.scanId, async () => {
      const record = await this.settleJob(job.scanId, job.jobId, 'timedOut', {
        error: 'reached its delivery limit: every agent that took it died or gave it back',
      });
      if (!record) return;
      await this.publishProgress(record, `${job.kind} job on ${job.node}: timed out`);
      if (this.isMine(record)) await this.finishIfSettled(record);
    });
  }

  /** Renews this replica's leases, takes over orphaned scans, times out overdue jobs, finishes settled scans. */
  private async tick(): Promise<void> {
    if (this.ticking || this.stopped) return;
    this.ticking = true;
    try {
      for (const scanId of await this.store.ids())
        await this.serially(scanId, () => this.takeover!.review(scanId)).catch(() => undefined);
    } catch (error) {
      this.log(`tick: ${(error as Error).message}`);
    } finally {
      this.ticking = false;
    }
  }

  /**
   * Queues a job, retrying while nats-server is away (a restart takes seconds): a job recorded as queued
   * but never published would only end at the scan deadline. Queueing twice is harmless: the job id is
   * deterministic and its result key is overwritten.
   */
  async queueJob(job: Job): Promise<void> {
    // Credentials never go on the queue: the job's agent gets them in its ticket (job-tickets.ts).
    const { credentials: _, ...queued } = job as Job & { credentials?: unknown };
    const expiresAt = job.expiresAt ?? this.now() + (this.options.jobTimeoutMs ?? 600_000);
    const data = Buffer.from(encodeMessage({ ...queued, expiresAt }, MAX_BUS_MESSAGE_BYTES));
    // Tool jobs go to a tools runner's queue (core/protocol/tool-queues.ts), the others to the node's agent.
    await retrying(() => this.options.bus.publishJob(jobQueue(job), data), {
      forMs: 60_000,
      // A message too large or a bad node name stays so: only a server's absence is worth waiting out.
      retryIf: (error) =>
        !(error instanceof BusMessageTooLargeError) && !/invalid node name/.test(String(error)),
      onRetry: (error) =>
        this.log(`queueing job ${job.jobId} on ${job.node}: ${(error as Error).message}; retrying`),
    });
  }

  /** Sends the scan's clients an error and drops its record: a scan that cannot start has nothing to keep. */
  async failScan(
    scanId: string,
    code: 'not-found' | 'internal' | 'forbidden',
    message: string,
  ): Promise<void> {
    await this.publisher.flushProgress(scanId).catch(() => undefined);
    await this.publish(scanId, { v: PROTOCOL_VERSION, type: 'error', code, message, requestId: scanId });
    await this.store.delete(scanId);
    this.options.metrics?.scanEnded('failed');
  }
}

export function describeTarget(target: ScanTarget): string {
  const ns = target.allNamespaces ? '*' : (target.namespace ?? 'default');
  if (target.name) return `${ns}/${target.kind ? `${target.kind.toLowerCase()}/` : ''}${target.name}`;
  return `${ns}${target.selector ? ` -l ${target.selector}` : ''}`;
}
