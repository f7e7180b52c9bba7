import {
  checkKvKey,
  type KeyValue,
  KvConflictError,
  type KvEntry,
  type KvWatchHandler,
} from '../key-value.js';
import { checkMessage } from '../message-size.js';

/** The in-process key-value bucket: one revision counter per bucket, as a NATS KV bucket's stream has. */
export class MemoryKeyValue implements KeyValue {
  private readonly entries = new Map<string, KvEntry>();
  private readonly watchers = new Set<KvWatchHandler>();
  private revision = 0;

  constructor(
    private readonly bucket: string,
    private readonly maxValueBytes?: number,
  ) {}

  private write(key: string, value: Uint8Array | undefined): number {
    const revision = ++this.revision;
    if (value === undefined) this.entries.delete(key);
    else this.entries.set(key, { value: value.slice(), revision });
    for (const watcher of this.watchers) queueMicrotask(() => watcher(key, value?.slice(), revision)); // delivered asynchronously, as NATS does
    return revision;
  }

  private value(key: string, value: Uint8Array): Uint8Array {
    return checkMessage(`key ${JSON.stringify(key)} in bucket ${this.bucket}`, value, this.maxValueBytes);
  }

  async get(key: string): Promise<KvEntry | undefined> {
    const entry = this.entries.get(checkKvKey(key));
    return entry && { value: entry.value.slice(), revision: entry.revision };
  }

  async put(key: string, value: Uint8Array): Promise<number> {
    return this.write(checkKvKey(key), this.value(key, value));
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    if (this.entries.has(checkKvKey(key))) throw new KvConflictError(key, 'already exists');
    return this.write(key, this.value(key, value));
  }

  async update(key: string, value: Uint8Array, revision: number): Promise<number> {
    const current = this.entries.get(checkKvKey(key));
    if (!current || current.revision !== revision)
      throw new KvConflictError(key, `not at revision ${revision}`);
    return this.write(key, this.value(key, value));
  }

  async delete(key: string): Promise<void> {
    if (this.entries.has(checkKvKey(key))) this.write(key, undefined);
  }

  async keys(under?: string): Promise<string[]> {
    const prefix = under === undefined ? '' : `${checkKvKey(under)}.`;
    return [...this.entries.keys()].filter((k) => k.startsWith(prefix)).sort();
  }

  async watch(handler: KvWatchHandler, key?: string): Promise<() => void> {
    const watcher: KvWatchHandler =
      key === undefined ? handler : (k, value, revision) => k === key && handler(k, value, revision);
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }
}
