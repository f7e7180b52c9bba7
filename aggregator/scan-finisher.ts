import { PROTOCOL_VERSION } from '../core/protocol/index.js';
import { reportKey } from '../core/store/scan-objects.js';
import { assembleReport, headerOf, storeReport } from './report-assembly.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import { allJobsSettled } from './scan-record.js';

/** The `finishing` step: merge the stored results into report.json, tell the clients, drop the record. */
export class ScanFinisher {
  constructor(private readonly coordinator: ScanCoordinator) {}

  async finish(scanId: string): Promise<void> {
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
