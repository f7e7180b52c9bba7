import { ulid } from 'ulid';
import { type KeyValue, KvConflictError } from '../core/bus/bus.js';
import { ScanRecord } from './scan-record.js';

const PREFIX = 'scans.';
const keyOf = (scanId: string) => `${PREFIX}${scanId}`;

/** Lexically time-ordered, so stored scans list newest last without reading them. */
export function newScanId(now = Date.now()): string {
  return ulid(now).toLowerCase();
}

/**
 * Scan records in the `seco-scans` KV bucket. Every change is a compare-and-set, retried on conflict
 * against the fresh record, so replicas and concurrent job outcomes never overwrite each other.
 */
export class ScanStore {
  constructor(private readonly kv: KeyValue) {}

  async create(record: ScanRecord): Promise<void> {
    await this.kv.create(keyOf(record.scanId), encode(record));
  }

  async get(scanId: string): Promise<ScanRecord | undefined> {
    const entry = await this.kv.get(keyOf(scanId));
    return entry ? decode(scanId, entry.value) : undefined;
  }

  /**
   * Applies `change` to the current record and stores it if nothing else wrote in between; `change`
   * returns undefined to leave the record as it is. Returns the stored record (or the unchanged one).
   */
  async update(
    scanId: string,
    change: (record: ScanRecord) => ScanRecord | undefined,
  ): Promise<{ record: ScanRecord; changed: boolean } | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const entry = await this.kv.get(keyOf(scanId));
      if (!entry) return undefined;
      const current = decode(scanId, entry.value);
      const next = change(structuredClone(current));
      if (!next) return { record: current, changed: false };
      try {
        await this.kv.update(keyOf(scanId), encode(next), entry.revision);
        return { record: next, changed: true };
      } catch (error) {
        if (!(error instanceof KvConflictError)) throw error;
      }
    }
    throw new Error(`scan ${scanId}: record kept changing under 50 compare-and-set attempts`);
  }

  async ids(): Promise<string[]> {
    return (await this.kv.keys()).filter((k) => k.startsWith(PREFIX)).map((k) => k.slice(PREFIX.length));
  }

  async delete(scanId: string): Promise<void> {
    await this.kv.delete(keyOf(scanId));
  }
}

function encode(record: ScanRecord): Uint8Array {
  return Buffer.from(JSON.stringify(record));
}

function decode(scanId: string, value: Uint8Array): ScanRecord {
  const parsed = ScanRecord.safeParse(JSON.parse(Buffer.from(value).toString('utf8')));
  if (!parsed.success)
    throw new Error(`scan ${scanId}: stored record is invalid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
