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
