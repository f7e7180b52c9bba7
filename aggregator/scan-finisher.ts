import { PROTOCOL_VERSION } from '../core/protocol/index.js';
import { Backoff } from '../core/service/backoff.js';
import { reportKey } from '../core/store/scan-objects.js';
import { assembleReport, headerOf, storeReport } from './report-assembly.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import { allJobsSettled } from './scan-record.js';

/** A finish that failed (S3 away, a report over the object cap) is tried again after 1 s, doubling to 1 min. */
const RETRY = { firstMs: 1000, maxMs: 60_000 };

/**
 * The `finishing` step: merge the stored results into report.json, tell the clients, drop the record.
 * A failed attempt is retried with backoff, not on every tick: each attempt reassembles the whole report.
 */
export class ScanFinisher {
  private readonly retries = new Map<string, { backoff: Backoff; notBefore: number }>();

  constructor(private readonly coordinator: ScanCoordinator) {}

  async finish(scanId: string): Promise<void> {
    const c = this.coordinator;
    const retry = this.retries.get(scanId);
    if (retry && c.now() < retry.notBefore) return;
    try {
      await this.attempt(scanId);
      this.retries.delete(scanId);
    } catch (error) {
      const backoff = retry?.backoff ?? new Backoff(RETRY);
      const delay = backoff.next();
      this.retries.set(scanId, { backoff, notBefore: c.now() + delay });
      throw new Error(
        `finishing failed (${(error as Error).message}); tried again in ${Math.round(delay / 1000)} s`,
      );
    }
  }

  private async attempt(scanId: string): Promise<void> {
    const c = this.coordinator;
    // Claimed by compare-and-set: of two replicas racing here, one finishes. A scan left `finishing` by a
    // replica that died is finished again by its next owner: every write below is idempotent.
    const claimed = await c.store.update(scanId, (r) => {
      if (!c.isMine(r)) return undefined;
      if (r.status === 'running' && allJobsSettled(r)) return { ...r, status: 'finishing' };
      return r.status === 'finishing' ? r : undefined;
    });
    if (claimed?.record.status !== 'finishing') return;
    const finishedAt = new Date(c.now());
    const report = await assembleReport(
      c.options.store,
      claimed.record,
      finishedAt,
      c.jobFindings.of(scanId),
    );
    await storeReport(c.options.store, report);
    const closing = headerOf(report);
    const header = closing.report;
    // The newest counts before the report that closes the stream; no progress after it.
    await c.publisher.flushProgress(scanId).catch(() => undefined);
    try {
      await c.publish(scanId, { v: PROTOCOL_VERSION, type: 'scan.done', scanId, ...closing });
    } catch {
      // A header too large for one message (thousands of resources): the stored report has them all.
      await c.publish(scanId, {
        v: PROTOCOL_VERSION,
        type: 'scan.done',
        scanId,
        reportKey: reportKey(scanId),
        report: {
          ...header,
          resources: [],
          problems: [
            ...header.problems.slice(0, 100),
            {
              kind: 'warning',
              source: 'report',
              message: `resources left out of the live stream; ${reportKey(scanId)} has all ${header.resources.length}`,
            },
          ],
        },
      });
    }
    c.options.metrics?.scanEnded('done'); // counted when its clients are told, before the record is dropped
    await c.store.delete(scanId);
    c.streamed.forget(scanId);
    c.jobFindings.forget(scanId);
    c.watchdog.forget(scanId);
    c.log(
      `scan ${scanId} done: ${header.findingCount} finding(s), ${Object.keys(claimed.record.jobs).length} job(s)`,
    );
  }
}
