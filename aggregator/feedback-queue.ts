import { feedbackForFinding } from '../core/feedback/feedback.js';
import type { FeedbackRule } from '../core/feedback/feedback-rules.js';
import type { Finding } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import { feedbackJob, jobRecord } from './job-planner.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import type { ScanRecord } from './scan-record.js';

/** A scan's feedback rules may add at most this many jobs: rules that feed each other cannot run away. */
export const MAX_FEEDBACK_JOBS_PER_SCAN = 100;

/**
 * The feedback processor inside a scan: findings a job produced are matched against the feedback rules,
 * and the jobs they ask for join the same scan (once each: a job already in the scan is not asked twice),
 * if the scan's scanners include their kind.
 */
export class FeedbackQueue {
  constructor(
    private readonly coordinator: ScanCoordinator,
    private readonly rules: readonly FeedbackRule[],
  ) {}

  /** Queues what the rules ask for; returns the updated record when jobs were added. */
  async queueFor(
    record: ScanRecord,
    fromJobId: string,
    findings: readonly Finding[],
  ): Promise<ScanRecord | undefined> {
    if (this.rules.length === 0 || findings.length === 0 || record.status !== 'running') return undefined;
    const origin = record.jobs[fromJobId];
    // `--scanners` is the user's bound on the scan: feedback may add work only of the kinds they asked
    // for. An image job in a `config,host,runtime` scan would pull images they chose not to pull.
    const allowed = new Set<string>(record.scanners);
    const jobs = new Map<string, { job: Job; rule: string }>();
    for (const asked of findings.flatMap((f) => feedbackForFinding(this.rules, f))) {
      if (!allowed.has(asked.kind)) continue;
      const job = feedbackJob(record.scanId, asked, origin?.node);
      if (job && !record.jobs[job.jobId]) jobs.set(job.jobId, { job, rule: asked.rule });
    }
    if (jobs.size === 0) return undefined;
    const c = this.coordinator;
    const live = await c.agents.liveQueues();
    const now = c.now();
    const updated = await c.store.update(record.scanId, (r) => {
      if (r.status !== 'running') return undefined;
      let added = Object.values(r.jobs).filter((j) => j.rule).length;
      let changed = false;
      for (const { job, rule } of jobs.values()) {
        if (r.jobs[job.jobId] || added >= MAX_FEEDBACK_JOBS_PER_SCAN) continue;
        r.jobs[job.jobId] = jobRecord(job, now, live, rule);
        added++;
        changed = true;
      }
      return changed ? r : undefined;
    });
    if (!updated?.changed) return undefined;
    for (const { job } of jobs.values())
      if (updated.record.jobs[job.jobId]?.state === 'queued' && !record.jobs[job.jobId])
        await c.queueJob(job);
    return updated.record;
  }
}
