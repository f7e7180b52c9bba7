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

/**
 * Tells every replica's clients what happens in a scan: messages of the client protocol on the scan's
 * subject, so whichever replica a client is connected to forwards them unchanged.
 */
export class ScanPublisher {
  constructor(private readonly bus: Bus) {}

  async publish(scanId: string, message: ServerMessage): Promise<void> {
    await this.bus.publish(subjects.scan(scanId), Buffer.from(encodeMessage(message, MAX_BUS_MESSAGE_BYTES)));
  }

  async publishFindings(scanId: string, findings: readonly Finding[]): Promise<void> {
    const envelope = { v: PROTOCOL_VERSION, type: 'findings', scanId };
    for (const message of encodeFindingBatches(findings, envelope, MAX_BUS_MESSAGE_BYTES))
      await this.bus.publish(subjects.scan(scanId), Buffer.from(message));
  }

  async publishProgress(record: ScanRecord, message?: string): Promise<void> {
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
