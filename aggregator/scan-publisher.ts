import type { Bus } from '../core/bus/bus.js';
import type { Finding } from '../core/model/index.js';
import {
  encodeFindingBatches,
  encodeMessage,
  MAX_BUS_MESSAGE_BYTES,
  PROTOCOL_VERSION,
  type ServerMessage,
  subjects,
} from '../core/protocol/index.js';
import { countJobs, countJobsByNode, type ScanRecord } from './scan-record.js';

/** Progress of one scan goes out at most this often (the latest state wins; nothing is queued up). */
export const PROGRESS_EVERY_MS = 500;
/** What one coalesced progress message says happened: `; `-joined, the rest counted. */
const MAX_COALESCED_MESSAGES = 16;
export const PROGRESS_MESSAGE_SEPARATOR = '; ';

interface PendingProgress {
  record: ScanRecord;
  messages: string[];
  dropped: number;
  timer: NodeJS.Timeout;
}

/**
 * Tells every replica's clients what happens in a scan: messages of the client protocol on the scan's
 * subject, so whichever replica a client is connected to forwards them unchanged.
 *
 * Progress is coalesced per scan: a message counts every job and carries per-node counts, so one per job
 * outcome made a 15,000-job scan quadratic (and ≈200 KB a message at 5,000 nodes; docs/benchmarks.md).
 * The first change goes out at once; changes within `progressEveryMs` of it wait, and only the newest is
 * sent when the interval ends, its messages joined — so every client of a scan gets at most
 * 1000/progressEveryMs a second, whatever the job count.
 */
export class ScanPublisher {
  private readonly lastSent = new Map<string, number>();
  private readonly pending = new Map<string, PendingProgress>();

  constructor(
    private readonly bus: Bus,
    private readonly progressEveryMs = PROGRESS_EVERY_MS,
    private readonly now: () => number = Date.now,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  async publish(scanId: string, message: ServerMessage): Promise<void> {
    await this.bus.publish(subjects.scan(scanId), Buffer.from(encodeMessage(message, MAX_BUS_MESSAGE_BYTES)));
  }

  async publishFindings(scanId: string, findings: readonly Finding[]): Promise<void> {
    const envelope = { v: PROTOCOL_VERSION, type: 'findings', scanId };
    for (const message of encodeFindingBatches(findings, envelope, MAX_BUS_MESSAGE_BYTES))
      await this.bus.publish(subjects.scan(scanId), Buffer.from(message));
  }

  /** Sends the scan's progress now, or as the newest of the interval's changes when it ends. */
  async publishProgress(record: ScanRecord, message?: string): Promise<void> {
    const { scanId } = record;
    const waiting = this.pending.get(scanId);
    if (waiting) {
      waiting.record = record;
      if (message && waiting.messages.length < MAX_COALESCED_MESSAGES) waiting.messages.push(message);
      else if (message) waiting.dropped++;
      return;
    }
    const sinceLast = this.now() - (this.lastSent.get(scanId) ?? Number.NEGATIVE_INFINITY);
    if (sinceLast >= this.progressEveryMs) return this.sendProgress(record, message);
    const timer = setTimeout(
      () =>
        this.sendPending(scanId).catch((error) =>
          this.log(`scan ${scanId}: progress not published: ${(error as Error).message}`),
        ),
      this.progressEveryMs - sinceLast,
    );
    timer.unref();
    this.pending.set(scanId, { record, messages: message ? [message] : [], dropped: 0, timer });
  }

  /** Sends the scan's waiting progress now and forgets the scan: its report comes next and closes the stream. */
  async flushProgress(scanId: string): Promise<void> {
    await this.sendPending(scanId);
    this.lastSent.delete(scanId);
  }

  private async sendPending(scanId: string): Promise<void> {
    const due = this.pending.get(scanId);
    if (!due) return;
    clearTimeout(due.timer);
    this.pending.delete(scanId);
    const said = [...due.messages, ...(due.dropped > 0 ? [`and ${due.dropped} more`] : [])];
    await this.sendProgress(due.record, said.join(PROGRESS_MESSAGE_SEPARATOR) || undefined);
  }

  private async sendProgress(record: ScanRecord, message?: string): Promise<void> {
    this.lastSent.set(record.scanId, this.now());
    await this.publish(record.scanId, {
      v: PROTOCOL_VERSION,
      type: 'scan.progress',
      scanId: record.scanId,
      jobs: countJobs(Object.values(record.jobs)),
      nodes: countJobsByNode(record),
      ...(message ? { message: message.slice(0, 4096) } : {}),
    });
  }
}
