import type { JobRecord } from './scan-record.js';

export interface CachedJob {
  job: JobRecord;
  /** The job key's KV revision: the compare-and-set of its next change is made against it. */
  revision: number;
}

/**
 * One scan's job records as this replica last saw them (its own writes and the bucket's watch). The
 * `jobs` object handed out is a snapshot, rebuilt only after a change: a scan of 15,000 jobs is not
 * copied once per job outcome read. A stale entry is harmless — every write is a compare-and-set on the
 * job's own key, and a conflict reloads that key.
 */
export class ScanJobsCache {
  private readonly entries = new Map<string, CachedJob>();
  private snapshot?: Readonly<Record<string, JobRecord>>;

  get size(): number {
    return this.entries.size;
  }

  entry(jobId: string): CachedJob | undefined {
    return this.entries.get(jobId);
  }

  /** Keeps the newer of what is cached and what was seen (writes and watch events may arrive out of order). */
  see(jobId: string, job: JobRecord | undefined, revision: number): void {
    const cached = this.entries.get(jobId);
    if (cached && cached.revision >= revision) return;
    if (job) this.entries.set(jobId, { job, revision });
    else this.entries.delete(jobId);
    this.snapshot = undefined;
  }

  jobs(): Readonly<Record<string, JobRecord>> {
    if (!this.snapshot) {
      const jobs: Record<string, JobRecord> = {};
      for (const [jobId, { job }] of this.entries) jobs[jobId] = job;
      this.snapshot = Object.freeze(jobs);
    }
    return this.snapshot;
  }
}
