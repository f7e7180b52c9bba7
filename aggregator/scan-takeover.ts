import { MAX_JOB_PROBLEMS } from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { jobFailureKey, jobProblemsKey, jobResultKey } from '../core/store/scan-objects.js';
import { CONFIG_JOB_ID } from './config-step.js';
import { readJobFindings } from './report-assembly.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import type { ScanRecord } from './scan-record.js';

/**
 * What every replica does for every open scan on each tick: the owner renews its lease, times out jobs
 * past the deadline and finishes settled scans; another replica takes over a scan whose lease expired
 * and catches up from the object store — job outcomes it missed are there as results or failure marks.
 */
export class ScanTakeover {
  constructor(private readonly coordinator: ScanCoordinator) {}

  async review(scanId: string): Promise<void> {
    const c = this.coordinator;
    const now = c.now();
    let record = await c.store.get(scanId);
    if (!record || record.status === 'done' || record.status === 'failed') return;
    if (!c.isMine(record)) {
      if (record.leaseUntil > now) return;
      const taken = await c.store.update(scanId, (r) =>
        r.leaseUntil > now || c.isMine(r)
          ? undefined
          : { ...r, owner: c.options.replicaId, leaseUntil: now + c.leaseMs },
      );
      if (!taken?.changed) return;
      record = taken.record;
      c.log(`scan ${scanId}: taken over (status ${record.status})`);
      await this.catchUp(record);
      record = (await c.store.get(scanId)) ?? record;
    } else if (record.leaseUntil - now < c.leaseMs / 2) {
      const renewed = await c.store.update(scanId, (r) =>
        c.isMine(r) ? { ...r, leaseUntil: now + c.leaseMs } : undefined,
      );
      if (renewed) record = renewed.record;
    }
    if (!c.isMine(record)) return;
    // A scan its owner left half-planned is planned again: job ids are deterministic, so nothing doubles.
    if (record.status === 'resolving') return c.planNow(scanId);
    if (record.status === 'finishing') return c.finishNow(scanId);
    if (now > record.deadline) await this.timeOutOverdue(record);
    else {
      await c.watchdog
        .review(record)
        .catch((error) => c.log(`scan ${scanId}: watchdog: ${(error as Error).message}`));
      await c.finishIfSettled((await c.store.get(scanId)) ?? record);
    }
  }

  /** Streams nothing twice: what the old owner streamed is remembered, then missed outcomes are ingested. */
  private async catchUp(record: ScanRecord): Promise<void> {
    const c = this.coordinator;
    const store: ObjectStore = c.options.store;
    const done = [
      CONFIG_JOB_ID,
      ...Object.entries(record.jobs)
        .filter(([, j]) => j.state === 'acked')
        .map(([id]) => id),
    ];
    for (const jobId of done)
      c.streamed.remember(
        record.scanId,
        (await readJobFindings(store, record.scanId, jobId).catch(() => undefined)) ?? [],
      );
    for (const [jobId, job] of Object.entries(record.jobs)) {
      if (job.state !== 'queued') continue;
      if (await store.stat(jobResultKey(record.scanId, jobId)))
        await c.ingest(record.scanId, jobId, {
          status: 'acked',
          problems: await storedProblems(store, record.scanId, jobId),
        });
      else {
        const failure = await store.get(jobFailureKey(record.scanId, jobId));
        if (failure)
          await c.ingest(record.scanId, jobId, { status: 'failed', error: failureMessage(failure) });
      }
    }
  }

  private async timeOutOverdue(record: ScanRecord): Promise<void> {
    const c = this.coordinator;
    let latest: ScanRecord | undefined = record;
    for (const [jobId, job] of Object.entries(record.jobs)) {
      if (job.state !== 'queued') continue;
      latest =
        (await c.settleJob(record.scanId, jobId, 'timedOut', {
          error: 'no agent finished it before the scan deadline',
        })) ?? latest;
    }
    if (latest && Object.keys(latest.jobs).length < (latest.jobCount ?? 0)) {
      // Jobs counted but never written (their adder died between the two): nothing can run them now.
      c.log(
        `scan ${record.scanId}: ${(latest.jobCount ?? 0) - Object.keys(latest.jobs).length} job(s) never recorded`,
      );
      latest =
        (await c.store.update(record.scanId, (r) => ({ ...r, jobCount: Object.keys(r.jobs).length })))
          ?.record ?? latest;
    }
    if (latest) {
      await c.publishProgress(latest, 'deadline reached: unfinished jobs timed out');
      await c.finishIfSettled(latest);
    }
  }
}

export function failureMessage(body: Buffer): string {
  try {
    const value = JSON.parse(body.toString('utf8')) as { error?: unknown };
    return typeof value.error === 'string' ? value.error.slice(0, 4000) : 'failed';
  } catch {
    return 'failed (unreadable failure record)';
  }
}

/** The problems an agent stored beside an acked job's result (jobProblemsKey), if any. */
export async function storedProblems(
  store: ObjectStore,
  scanId: string,
  jobId: string,
): Promise<string[] | undefined> {
  const body = await store.get(jobProblemsKey(scanId, jobId)).catch(() => undefined);
  if (!body) return undefined;
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return Array.isArray(value)
      ? value.filter((p): p is string => typeof p === 'string').slice(0, MAX_JOB_PROBLEMS)
      : undefined;
  } catch {
    return [`job ${jobId}: its stored problems are not readable JSON`];
  }
}
