import type { FeedbackJob } from '../core/feedback/feedback.js';
import type { Finding } from '../core/model/index.js';
import { type Job, PROTOCOL_VERSION, type ScanTarget } from '../core/protocol/index.js';
import { jobIdFor } from './job-planner.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import type { ScanRecord } from './scan-record.js';
import { newScanId } from './scan-store.js';

/**
 * A scan started by the feedback rules rather than by a user: what a runtime alert or a newly seen
 * image asked for (an image rescan, a host scan), tracked and reported like any other scan.
 */
export async function startFeedbackScan(
  c: ScanCoordinator,
  asked: readonly FeedbackJob[],
  cause: { rule: string; finding?: Finding; description: string },
): Promise<string | undefined> {
  const now = c.now();
  const scanId = newScanId(now);
  const jobs = new Map<string, Job>();
  for (const a of asked) {
    if (!a.node) continue;
    const base = { v: PROTOCOL_VERSION, scanId, node: a.node } as const;
    if (a.kind === 'host')
      jobs.set(jobIdFor('host', a.node), { ...base, kind: 'host', jobId: jobIdFor('host', a.node) });
    if (a.kind === 'image' && a.image) {
      const digest = /@(sha256:[0-9a-f]{64})$/.exec(a.image)?.[1];
      const jobId = jobIdFor('image', a.node, digest ?? a.image);
      jobs.set(jobId, { ...base, kind: 'image', jobId, image: a.image, ...(digest ? { digest } : {}) });
    }
  }
  if (jobs.size === 0) return undefined;
  const live = await c.agents.liveNodes();
  const resource = cause.finding?.resource;
  const target: ScanTarget =
    resource?.namespace && resource.name
      ? { namespace: resource.namespace, name: resource.name }
      : { allNamespaces: true };
  const record: ScanRecord = {
    scanId,
    target,
    targetName: `${resource?.namespace ?? '*'}/${resource?.name ?? resource?.node ?? 'cluster'} (feedback: ${cause.rule})`,
    requestedBy: `feedback:${cause.rule}`,
    scanners: [...new Set([...jobs.values()].map((j) => j.kind))],
    status: 'running',
    startedAt: new Date(now).toISOString(),
    deadline: now + (c.options.jobTimeoutMs ?? 600_000),
    owner: c.options.replicaId,
    leaseUntil: now + c.leaseMs,
    jobs: Object.fromEntries(
      [...jobs.values()].map((j) => [
        j.jobId,
        {
          kind: j.kind,
          node: j.node,
          ...(j.kind === 'image' ? { image: j.image } : {}),
          state: live.has(j.node) ? ('queued' as const) : ('failed' as const),
          ...(live.has(j.node) ? {} : { error: `no seco agent is running on node ${j.node}` }),
          rule: cause.rule,
          queuedAt: now,
        },
      ]),
    ),
    problems: [
      { kind: 'warning', source: `feedback rule ${cause.rule}`, message: cause.description.slice(0, 2000) },
    ],
  };
  await c.store.create(record);
  c.options.metrics?.scanStarted();
  for (const job of jobs.values()) if (record.jobs[job.jobId]?.state === 'queued') await c.queueJob(job);
  await c.finishIfSettled(record);
  c.log(`feedback scan ${scanId}: ${cause.description}`);
  return scanId;
}
