import type { Finding } from '../core/model/index.js';

/**
 * Which findings of each scan this replica has streamed to clients, so the same problem seen by two
 * jobs (or a job redelivered after its agent died) reaches the clients once. The report is merged
 * from the stored results independently; this only keeps the live stream free of duplicates.
 */
export class StreamedFindings {
  private readonly byScan = new Map<string, Set<string>>();

  /** The findings not streamed before, now counted as streamed. */
  fresh(scanId: string, findings: readonly Finding[]): Finding[] {
    let seen = this.byScan.get(scanId);
    if (!seen) {
      seen = new Set();
      this.byScan.set(scanId, seen);
    }
    const fresh: Finding[] = [];
    for (const finding of findings) {
      if (seen.has(finding.id)) continue;
      seen.add(finding.id);
      fresh.push(finding);
    }
    return fresh;
  }

  /** After a takeover: what the previous owner streamed counts as streamed. */
  remember(scanId: string, findings: readonly Finding[]): void {
    this.fresh(scanId, findings);
  }

  forget(scanId: string): void {
    this.byScan.delete(scanId);
  }
}

/**
 * The findings of each job this replica ingested, kept until its scan's report is written, so the
 * report is merged from memory; after a takeover, what is missing here is read from the store.
 */
export class JobFindingsCache {
  private readonly byScan = new Map<string, Map<string, readonly Finding[]>>();

  set(scanId: string, jobId: string, findings: readonly Finding[]): void {
    let jobs = this.byScan.get(scanId);
    if (!jobs) {
      jobs = new Map();
      this.byScan.set(scanId, jobs);
    }
    jobs.set(jobId, findings);
  }

  of(scanId: string): ReadonlyMap<string, readonly Finding[]> {
    return this.byScan.get(scanId) ?? new Map();
  }

  forget(scanId: string): void {
    this.byScan.delete(scanId);
  }
}
