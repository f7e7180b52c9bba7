import { createHash } from 'node:crypto';
import { ulid } from 'ulid';
import { KvConflictError } from '../core/bus/bus.js';
import type { FeedbackJob } from '../core/feedback/feedback.js';
import type { Finding } from '../core/model/index.js';
import type { Job, ScanTarget } from '../core/protocol/index.js';
import { reportKey } from '../core/store/scan-objects.js';
import { feedbackJob, jobRecord } from './job-planner.js';
import { withPullCredentials } from './pull-credentials.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import type { ScanRecord } from './scan-record.js';
import { newScanId } from './scan-store.js';

/**
 * The id of the feedback scan an event starts: a ULID of the event's time whose random part comes from the
 * event's id, so the same event delivered twice names the same scan (and time-ordered like every scan id).
 */
export function feedbackScanId(eventId: string, at: number): string {
  const digest = createHash('sha256').update(`feedback\n${eventId}`).digest();
  let next = 0;
  return ulid(at, () => digest[next++ % digest.length]! / 256).toLowerCase();
}

/**
 * A scan started by the feedback rules rather than by a user: what a runtime alert or a newly seen
 * image asked for (an image rescan, a host scan), tracked and reported like any other scan. With a
 * `scanId` (an event's, see feedbackScanId) it starts at most once: a scan of that id that is running or
 * has a report already is the one this asks for.
 */
export async function startFeedbackScan(
  c: ScanCoordinator,
  asked: readonly FeedbackJob[],
  cause: { rule: string; finding?: Finding; description: string },
  givenScanId?: string,
): Promise<string | undefined> {
  const now = c.now();
  const scanId = givenScanId ?? newScanId(now);
  if (givenScanId && ((await c.store.get(scanId)) || (await c.options.store.stat(reportKey(scanId)))))
    return scanId;
  const jobs = new Map<string, Job>();
  for (const a of asked) {
    const job = feedbackJob(scanId, a);
    if (job) jobs.set(job.jobId, job);
  }
  if (jobs.size === 0) return undefined;
  const resource = cause.finding?.resource;
  await addPullCredentials(c, jobs, resource);
  const live = await c.agents.liveQueues();
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
    jobs: Object.fromEntries([...jobs.values()].map((j) => [j.jobId, jobRecord(j, now, live, cause.rule)])),
    problems: [
      { kind: 'warning', source: `feedback rule ${cause.rule}`, message: cause.description.slice(0, 2000) },
    ],
  };
  try {
    await c.store.create(record);
  } catch (error) {
    if (error instanceof KvConflictError && givenScanId) return scanId; // started by a delivery racing this one
    throw error;
  }
  c.options.metrics?.scanStarted();
  for (const job of jobs.values()) if (record.jobs[job.jobId]?.state === 'queued') await c.queueJob(job);
  await c.finishIfSettled(record);
  c.log(`feedback scan ${scanId}: ${cause.description}`);
  return scanId;
}

/**
 * An image rescan asked for by a runtime alert in a pod pulls with that pod's imagePullSecrets, as the
 * scan of the app would: the pod is read for their names, the Secrets for the credentials.
 */
async function addPullCredentials(
  c: ScanCoordinator,
  jobs: Map<string, Job>,
  resource: Finding['resource'] | undefined,
): Promise<void> {
  if (resource?.kind !== 'Pod' || !resource.namespace || !resource.name) return;
  const pod = await c.options.kube.get('Pod', resource.namespace, resource.name).catch(() => undefined);
  const spec = pod?.spec as { imagePullSecrets?: Array<{ name?: unknown }> } | undefined;
  const names = (spec?.imagePullSecrets ?? [])
    .map((s) => s.name)
    .filter((n): n is string => typeof n === 'string');
  if (names.length === 0) return;
  const pullSecrets = names.slice(0, 16).map((name) => ({ namespace: resource.namespace!, name }));
  const planned = [...jobs.values()]
    .filter((j) => j.kind === 'image')
    .map((job) => ({ jobId: job.jobId, job: { ...job, pullSecrets }, record: jobRecord(job, c.now()) }));
  for (const p of (await withPullCredentials(c.options.kube, planned)).planned) jobs.set(p.jobId, p.job);
}
