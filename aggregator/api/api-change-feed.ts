import type { Bus } from '../../core/bus/bus.js';
import type { Finding, ScopedSummaries } from '../../core/model/index.js';
import { decodeMessage, FindingEvent, MAX_BUS_MESSAGE_BYTES } from '../../core/protocol/index.js';
import { readReport, readSummary, scanScopes } from '../results.js';
import type { ScanCoordinator } from '../scan-coordinator.js';
import { type ScanObject, scanFromRecord, scanFromSummary } from './scan-objects.js';
import { WatchLog } from './watch-log.js';

/** A scan as watched: the object, and its per-scope counts once done (each watcher sees its own counts). */
export interface ScanEntry {
  object: ScanObject;
  scopes?: ScopedSummaries;
}

/** A finding as watched, with the scan whose report it came from. */
export interface FindingEntry {
  finding: Finding;
  scanId: string;
}

/** Scans changed per watch log kept, findings (a report may hold thousands), runtime events. */
const KEPT = { scans: 2000, findings: 50_000, events: 10_000 };
/** Finding ids remembered to tell a new finding (ADDED) from one seen in an earlier report (MODIFIED). */
const REMEMBERED_FINDINGS = 200_000;

/**
 * What `kubectl get scans|findings|events.seco.dev -w` follow on this replica, from the changes every
 * replica sees: a scan's header in the shared KV bucket (added, changed, deleted when the scan is done —
 * by then its summary and report are stored), and runtime events on the bus. A finished scan's findings
 * are the findings that change: seco.dev serves findings from stored reports.
 */
export class ApiChangeFeed {
  readonly scans = new WatchLog<ScanEntry>(KEPT.scans);
  readonly findings = new WatchLog<FindingEntry>(KEPT.findings);
  readonly events = new WatchLog<Finding>(KEPT.events);
  /** Running scans as last sent, to send a change only when the object changed. */
  private readonly running = new Map<string, string>();
  private readonly findingIds = new Set<string>();
  private readonly stops: Array<() => void> = [];
  private order: Promise<void> = Promise.resolve();

  constructor(
    private readonly coordinator: ScanCoordinator,
    private readonly bus: Bus,
    private readonly log?: (line: string) => void,
  ) {}

  async start(): Promise<void> {
    this.stops.push(
      await this.coordinator.store.watchScans((scanId, deleted) => {
        // In order, one at a time: a scan's changes reach watchers in the order they happened.
        this.order = this.order
          .then(() => (deleted ? this.scanEnded(scanId) : this.scanChanged(scanId)))
          .catch((error) => this.log?.(`watch: scan ${scanId}: ${(error as Error).message}`));
      }),
      await this.bus.subscribe('seco.events.>', (_subject, data) => {
        const decoded = decodeMessage(FindingEvent, data, MAX_BUS_MESSAGE_BYTES);
        if (decoded.ok) this.events.append('ADDED', decoded.value.finding);
      }),
    );
  }

  stop(): void {
    for (const stop of this.stops.splice(0)) stop();
  }

  private async scanChanged(scanId: string): Promise<void> {
    const record = await this.coordinator.store.get(scanId).catch(() => undefined);
    if (!record) return;
    const object = scanFromRecord(record);
    const text = JSON.stringify(object);
    const before = this.running.get(scanId);
    if (before === text) return; // a lease renewal: nothing a reader sees changed
    this.running.set(scanId, text);
    this.scans.append(before === undefined ? 'ADDED' : 'MODIFIED', { object });
  }

  private async scanEnded(scanId: string): Promise<void> {
    const store = this.coordinator.options.store;
    const wasRunning = this.running.get(scanId);
    this.running.delete(scanId);
    const summary = await readSummary(store, scanId);
    if (!summary) {
      // Ended without a report (deleted, or failed before one was written): gone from the listing too.
      if (wasRunning) this.scans.append('DELETED', { object: JSON.parse(wasRunning) as ScanObject });
      return;
    }
    const scopes = await scanScopes(store, scanId, summary);
    this.scans.append(wasRunning ? 'MODIFIED' : 'ADDED', {
      object: scanFromSummary(summary),
      ...(scopes ? { scopes } : {}),
    });
    const report = await readReport(store, scanId);
    for (const finding of report?.findings ?? []) {
      const seen = this.findingIds.has(finding.id);
      if (!seen) {
        this.findingIds.add(finding.id);
        if (this.findingIds.size > REMEMBERED_FINDINGS)
          this.findingIds.delete(this.findingIds.values().next().value!);
      }
      this.findings.append(seen ? 'MODIFIED' : 'ADDED', { finding, scanId });
    }
  }
}
