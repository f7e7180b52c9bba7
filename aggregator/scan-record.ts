import { z } from 'zod';
import { InputProblem } from '../core/model/index.js';
import { ScannerName, ScanTarget } from '../core/protocol/index.js';

export const JobState = z.enum(['queued', 'acked', 'failed', 'timedOut']);
export type JobState = z.infer<typeof JobState>;

/** One job of a scan as the aggregator tracks it; the job itself is on the node's queue. */
export const JobRecord = z.object({
  kind: z.enum(['host', 'image', 'runtime', 'tools']),
  node: z.string(),
  image: z.string().optional(),
  digest: z.string().optional(),
  state: JobState,
  findings: z.number().int().nonnegative().optional(),
  error: z.string().optional(),
  /** What an acked job could not do (an image inventoried but not matched): errors in the report. */
  problems: z.array(z.string()).optional(),
  /** The feedback rule that queued it, when a rule did. */
  rule: z.string().optional(),
  /** Image jobs: the pod's pull secrets, so a job handed to another node can be credentialed again. */
  pullSecrets: z
    .array(z.object({ namespace: z.string(), name: z.string() }))
    .max(16)
    .optional(),
  /** Tickets handed to the job's agent (aggregator/job-tickets.ts): one per allowed delivery, no more. */
  tickets: z.number().int().nonnegative().optional(),
  /** The node whose agent stopped heartbeating while it held this (image) job, before it moved. */
  movedFrom: z.string().optional(),
  queuedAt: z.number(),
  /**
   * When this replica heard the job start on its agent (epoch ms, the aggregator's clock), and the
   * deadline the agent gave it (ms): from there the aggregator times it out itself (job-deadlines.ts).
   */
  startedAt: z.number().optional(),
  startedDeadlineMs: z.number().int().positive().optional(),
});
export type JobRecord = z.infer<typeof JobRecord>;

/**
 * A scan's state in KV (see ScanStore: a header in `seco-scans`, one key per job in `seco-scan-jobs`): job
 * states, no findings, every change one compare-and-set; findings live in the object store. `owner` holds
 * a lease: a replica that stops renewing it (crashed, shut down) loses the scan to whichever replica sees
 * the lease expire.
 */
export const ScanRecord = z.object({
  scanId: z.string(),
  target: ScanTarget,
  targetName: z.string(),
  requestedBy: z.string(),
  scanners: z.array(ScannerName),
  status: z.enum(['resolving', 'running', 'finishing', 'done', 'failed']),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** When queued jobs stop being waited for and count as timed out (epoch ms). */
  deadline: z.number(),
  owner: z.string(),
  leaseUntil: z.number(),
  jobs: z.record(z.string(), JobRecord),
  /**
   * How many jobs the scan has, counting ones whose keys are still being written (set by ScanStore; a
   * new record leaves it out). Fewer jobs than this means the scan is not settled.
   */
  jobCount: z.number().int().nonnegative().optional(),
  problems: z.array(InputProblem),
  error: z.string().optional(),
  /** How many policy objects the client sent (stored in the bucket, scanPoliciesKey). */
  policies: z.number().int().nonnegative().optional(),
  /** Review the app against the cluster's own ValidatingAdmissionPolicies too. */
  clusterPolicies: z.boolean().optional(),
});
export type ScanRecord = z.infer<typeof ScanRecord>;

export const TERMINAL_JOB_STATES: ReadonlySet<JobState> = new Set(['acked', 'failed', 'timedOut']);

export function allJobsSettled(record: ScanRecord): boolean {
  const jobs = Object.values(record.jobs);
  return jobs.length >= (record.jobCount ?? 0) && jobs.every((job) => TERMINAL_JOB_STATES.has(job.state));
}

export interface JobCounts {
  total: number;
  acked: number;
  failed: number;
  timedOut: number;
}

export function countJobs(jobs: Iterable<JobRecord>): JobCounts {
  const counts: JobCounts = { total: 0, acked: 0, failed: 0, timedOut: 0 };
  for (const job of jobs) {
    counts.total++;
    if (job.state !== 'queued') counts[job.state]++;
  }
  return counts;
}

export function countJobsByNode(record: ScanRecord): Record<string, JobCounts> {
  const byNode = new Map<string, JobRecord[]>();
  for (const job of Object.values(record.jobs)) {
    const jobs = byNode.get(job.node);
    if (jobs) jobs.push(job);
    else byNode.set(job.node, [job]);
  }
  return Object.fromEntries([...byNode].map(([node, jobs]) => [node, countJobs(jobs)]));
}
