import { ulid } from 'ulid';
import { z } from 'zod';
import { type KeyValue, KvConflictError } from '../core/bus/bus.js';
import { ScanJobsCache } from './scan-jobs-cache.js';
import { JobRecord, ScanRecord } from './scan-record.js';

const PREFIX = 'scans.';
const headerKey = (scanId: string) => `${PREFIX}${scanId}`;
const jobKey = (scanId: string, jobId: string) => `${scanId}.${jobId}`;
/** Job keys read or written at once when a scan's jobs are loaded, created or deleted. */
const KV_CONCURRENCY = 64;
const MAX_ATTEMPTS = 50;

/**
 * What `seco-scans` holds per scan: everything but the jobs, and how many jobs the scan has. The count is
 * raised (compare-and-set on the header) before new job keys are created, so a replica that sees fewer
 * job keys than the count knows jobs are still being added and does not finish the scan without them.
 */
const ScanHeader = ScanRecord.omit({ jobs: true, jobCount: true }).extend({
  jobCount: z.number().int().nonnegative(),
});
type ScanHeader = z.infer<typeof ScanHeader>;

/** Lexically time-ordered, so stored scans list newest last without reading them. */
export function newScanId(now = Date.now()): string {
  return ulid(now).toLowerCase();
}

export type ScanUpdate = { record: ScanRecord; changed: boolean } | undefined;

/**
 * Scan records split over two KV buckets: the header in `seco-scans` (`scans.<scanId>`), one key per job
 * in `seco-scan-jobs` (`<scanId>.<jobId>`), so a scan's size is not bounded by one message (one record
 * held about 3,000 jobs). Every change is a compare-and-set — on the header for status, lease and added
 * jobs, on the job's own key for its state — retried on conflict against fresh values, so replicas and
 * concurrent job outcomes never overwrite each other.
 */
export class ScanStore {
  private readonly cached = new Map<string, ScanJobsCache>();
  private readonly stops: Array<() => void> = [];

  constructor(
    private readonly headers: KeyValue,
    private readonly jobKeys: KeyValue,
  ) {}

  /** Follows other replicas' job changes (a dead job settled elsewhere) and scans deleted elsewhere. */
  async start(): Promise<void> {
    this.stops.push(
      await this.jobKeys.watch((key, value, revision) => {
        const dot = key.indexOf('.');
        const cache = this.cached.get(key.slice(0, dot));
        if (!cache) return; // not read here yet: loaded whole when first read
        try {
          cache.see(key.slice(dot + 1), value && decodeJob(key, value), revision);
        } catch {
          // An invalid stored job: left out here, and reported by the read that loads it.
        }
      }),
      await this.headers.watch((key, value) => {
        if (value === undefined && key.startsWith(PREFIX)) this.cached.delete(key.slice(PREFIX.length));
      }),
    );
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  /** Calls back on every later change of any scan's header, by any replica (deleted: the scan ended). */
  watchScans(handler: (scanId: string, deleted: boolean) => void): Promise<() => void> {
    return this.headers.watch((key, value) => {
      if (key.startsWith(PREFIX)) handler(key.slice(PREFIX.length), value === undefined);
    });
  }

  /**
   * Jobs first, header last: a header is never seen without its jobs. The header's create is the
   * compare-and-set (KvConflictError when the scan exists); job keys are put, so a create retried after a
   * crash between the two completes rather than conflicting with its own leftovers.
   */
  async create(record: ScanRecord): Promise<void> {
    const { jobs, jobCount: _count, ...header } = record;
    if (await this.headers.get(headerKey(record.scanId)))
      throw new KvConflictError(headerKey(record.scanId), 'already exists');
    const cache = new ScanJobsCache();
    await forEachLimited(Object.entries(jobs), async ([jobId, job]) => {
      cache.see(jobId, job, await this.jobKeys.put(jobKey(record.scanId, jobId), encode(job)));
    });
    await this.headers.create(headerKey(record.scanId), encode({ ...header, jobCount: cache.size }));
    this.cached.set(record.scanId, cache);
  }

  async get(scanId: string): Promise<ScanRecord | undefined> {
    const entry = await this.headers.get(headerKey(scanId));
    if (!entry) return undefined;
    const header = decodeHeader(scanId, entry.value);
    return { ...header, jobs: (await this.jobsOf(scanId, header.jobCount)).jobs() };
  }

  /**
   * Applies `change` to the current record and stores it if nothing else wrote in between; `change`
   * returns undefined to leave the record as it is. It may change the header and add jobs; a job's own
   * state changes through `updateJob`. Returns the stored record (or the unchanged one).
   */
  async update(scanId: string, change: (record: ScanRecord) => ScanRecord | undefined): Promise<ScanUpdate> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const entry = await this.headers.get(headerKey(scanId));
      if (!entry) return undefined;
      const header = decodeHeader(scanId, entry.value);
      const cache = await this.jobsOf(scanId, header.jobCount);
      const current: ScanRecord = { ...header, jobs: cache.jobs() };
      const next = change({ ...structuredClone(header), jobs: { ...current.jobs } });
      if (!next) return { record: current, changed: false };
      const added = addedJobs(scanId, current.jobs, next.jobs);
      // A change may lower the count (jobs whose adder died before writing them, given up at the deadline).
      const jobCount = Math.min(next.jobCount ?? header.jobCount, header.jobCount) + added.length;
      const { jobs: _jobs, ...nextHeader } = next;
      try {
        await this.headers.update(headerKey(scanId), encode({ ...nextHeader, jobCount }), entry.revision);
      } catch (error) {
        if (!(error instanceof KvConflictError)) throw error;
        continue;
      }
      await forEachLimited(added, async ([jobId, job]) => {
        try {
          cache.see(jobId, job, await this.jobKeys.create(jobKey(scanId, jobId), encode(job)));
        } catch (error) {
          // Created already: a retry of an add whose header change went through before a crash.
          if (!(error instanceof KvConflictError)) throw error;
          await this.reload(scanId, jobId, cache);
        }
      });
      return { record: { ...next, jobCount, jobs: cache.jobs() }, changed: true };
    }
    throw new Error(`scan ${scanId}: record kept changing under ${MAX_ATTEMPTS} compare-and-set attempts`);
  }

  /**
   * Changes one job by compare-and-set on its own key; `change` returns undefined to leave it. Returns the
   * scan's record after the change, or undefined when the scan or the job does not exist.
   */
  async updateJob(
    scanId: string,
    jobId: string,
    change: (job: JobRecord) => JobRecord | undefined,
  ): Promise<ScanUpdate> {
    const record = await this.get(scanId);
    if (!record) return undefined;
    const cache = this.cached.get(scanId)!;
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const cached = cache.entry(jobId) ?? (await this.reload(scanId, jobId, cache));
      if (!cached) return undefined;
      const next = change(structuredClone(cached.job));
      if (!next) return { record: (await this.get(scanId)) ?? record, changed: false };
      try {
        cache.see(
          jobId,
          next,
          await this.jobKeys.update(jobKey(scanId, jobId), encode(next), cached.revision),
        );
      } catch (error) {
        if (!(error instanceof KvConflictError)) throw error;
        await this.reload(scanId, jobId, cache);
        continue;
      }
      const after = await this.get(scanId);
      return after && { record: after, changed: true };
    }
    throw new Error(
      `scan ${scanId}, job ${jobId}: kept changing under ${MAX_ATTEMPTS} compare-and-set attempts`,
    );
  }

  async ids(): Promise<string[]> {
    return (await this.headers.keys()).filter((k) => k.startsWith(PREFIX)).map((k) => k.slice(PREFIX.length));
  }

  /** Header first: a scan without a header is gone, whatever job keys are still being deleted. */
  async delete(scanId: string): Promise<void> {
    await this.headers.delete(headerKey(scanId));
    this.cached.delete(scanId);
    await forEachLimited(await this.jobKeys.keys(scanId), (key) => this.jobKeys.delete(key));
  }

  /** The scan's jobs, loaded whole when not cached here or when the header counts more than are cached. */
  private async jobsOf(scanId: string, jobCount: number): Promise<ScanJobsCache> {
    let cache = this.cached.get(scanId);
    if (cache && cache.size >= jobCount) return cache;
    cache ??= new ScanJobsCache();
    const loaded = cache;
    await forEachLimited(await this.jobKeys.keys(scanId), (key) =>
      this.reload(scanId, key.slice(scanId.length + 1), loaded),
    );
    this.cached.set(scanId, cache);
    return cache;
  }

  private async reload(scanId: string, jobId: string, cache: ScanJobsCache) {
    const key = jobKey(scanId, jobId);
    const entry = await this.jobKeys.get(key);
    if (entry) cache.see(jobId, decodeJob(key, entry.value), entry.revision);
    return cache.entry(jobId);
  }
}

function addedJobs(
  scanId: string,
  current: Readonly<Record<string, JobRecord>>,
  next: Record<string, JobRecord>,
): Array<[string, JobRecord]> {
  const added: Array<[string, JobRecord]> = [];
  for (const [jobId, job] of Object.entries(next)) {
    const was = current[jobId];
    if (!was) added.push([jobId, job]);
    else if (was !== job)
      throw new Error(`scan ${scanId}: job ${jobId} changed in a scan update; use updateJob`);
  }
  return added;
}

/** Runs `work` on every item, at most KV_CONCURRENCY at once (each is one KV round trip). */
async function forEachLimited<T>(items: readonly T[], work: (item: T) => Promise<unknown>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(KV_CONCURRENCY, items.length) }, worker));
}

function encode(value: ScanHeader | JobRecord): Uint8Array {
  return Buffer.from(JSON.stringify(value));
}

function decodeHeader(scanId: string, value: Uint8Array): ScanHeader {
  const parsed = ScanHeader.safeParse(JSON.parse(Buffer.from(value).toString('utf8')));
  if (!parsed.success)
    throw new Error(`scan ${scanId}: stored record is invalid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function decodeJob(key: string, value: Uint8Array): JobRecord {
  const parsed = JobRecord.safeParse(JSON.parse(Buffer.from(value).toString('utf8')));
  if (!parsed.success)
    throw new Error(`scan job ${key}: stored record is invalid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
