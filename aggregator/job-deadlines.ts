import type { JobStarted } from '../core/protocol/index.js';
import { DEFAULT_DEADLINE_S, JOB_KINDS, type JobKind } from '../core/service/job-kind-seconds.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import type { JobRecord, ScanRecord } from './scan-record.js';

/**
 * Added to a started job's deadline before the aggregator gives up on it: the agent ends its own job at
 * the deadline and its outcome (which names the cause: no progress, over the deadline) should win.
 */
export const DEADLINE_GRACE_MS = 30_000;

export const DEFAULT_JOB_DEADLINES_MS: Record<JobKind, number> = Object.fromEntries(
  JOB_KINDS.map((kind) => [kind, DEFAULT_DEADLINE_S[kind] * 1000]),
) as Record<JobKind, number>;

export interface JobDeadlineOptions {
  /** The aggregator's own deadline per kind (`--job-deadline`); an agent's shorter one is used instead. */
  deadlinesMs?: Record<JobKind, number>;
  graceMs?: number;
}

/**
 * Per-job deadlines enforced by the aggregator (issue 10: "enforced by the agent and by the aggregator").
 * Timing starts when the job starts on its agent, not when it is queued: an agent runs jobs in lanes, so a
 * job may rightly wait behind others. The start is recorded on the job's own key (ScanStore.updateJob), so
 * a replica taking the scan over keeps timing it; a job whose agent never said it started (an older agent,
 * a start lost with NATS) keeps the scan deadline and the heartbeat watchdog.
 */
export class JobDeadlines {
  constructor(
    private readonly coordinator: ScanCoordinator,
    private readonly options: JobDeadlineOptions = {},
  ) {}

  /** The owner records a start it hears; a start for a settled or moved job, or a stale delivery, is ignored. */
  async started(message: JobStarted): Promise<void> {
    const c = this.coordinator;
    const record = await c.store.get(message.scanId);
    if (!record || !c.isMine(record) || record.jobs[message.jobId]?.state !== 'queued') return;
    const at = c.now();
    await c.store.updateJob(message.scanId, message.jobId, (job) =>
      job.state === 'queued' && job.node === message.node
        ? {
            ...job,
            startedAt: at,
            ...(message.deadlineMs ? { startedDeadlineMs: message.deadlineMs } : {}),
          }
        : undefined,
    );
  }

  /** How long a started job of this record may run before the aggregator times it out. */
  limitMs(job: JobRecord): number {
    const own = (this.options.deadlinesMs ?? DEFAULT_JOB_DEADLINES_MS)[job.kind];
    const agents = job.startedDeadlineMs ?? Number.POSITIVE_INFINITY;
    return Math.min(own, agents) + (this.options.graceMs ?? DEADLINE_GRACE_MS);
  }

  /** Times out the record's started jobs past their limit; returns their ids. From the scan's serial chain. */
  async enforce(record: ScanRecord, queued: ReadonlyArray<[string, JobRecord]>): Promise<string[]> {
    const c = this.coordinator;
    const now = c.now();
    const overdue: string[] = [];
    for (const [jobId, job] of queued) {
      if (job.startedAt === undefined || now - job.startedAt <= this.limitMs(job)) continue;
      const ranS = Math.round((now - job.startedAt) / 1000);
      const error = `started on node ${job.node} ${ranS}s ago and not finished within its ${job.kind} job deadline (${Math.round(this.limitMs(job) / 1000)}s with grace); timed out by the aggregator: the agent may be stuck`;
      const settled = await c.settleJob(record.scanId, jobId, 'timedOut', { error });
      if (!settled) continue;
      overdue.push(jobId);
      c.log(`scan ${record.scanId}: ${job.kind} job ${jobId} on ${job.node}: ${error}`);
      await c.publishProgress(settled, `${job.kind} job on ${job.node}: timed out (job deadline)`);
      await c.finishIfSettled(settled);
    }
    return overdue;
  }
}
