import { checkKvKey, type KeyValue, KvConflictError, type KvEntry } from './key-value.js';

/** The in-process key-value store: one revision counter per bucket, as NATS KV has. */
export class MemoryKeyValue implements KeyValue {
  private readonly entries = new Map<string, KvEntry>();
  private readonly watchers = new Set<
    (key: string, value: Uint8Array | undefined, revision: number) => void
  >();
  private revision = 0;

  private write(key: string, value: Uint8Array | undefined): number {
    const revision = ++this.revision;
    if (value === undefined) this.entries.delete(key);
    else this.entries.set(key, { value, revision });
    for (const watcher of this.watchers) watcher(key, value, revision);
    return revision;
  }

  async get(key: string): Promise<KvEntry | undefined> {
    return this.entries.get(checkKvKey(key));
  }

  async put(key: string, value: Uint8Array): Promise<number> {
    return this.write(checkKvKey(key), value);
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    if (this.entries.has(checkKvKey(key))) throw new KvConflictError(key, 'already exists');
    return this.write(key, value);
  }

  async update(key: string, value: Uint8Array, revision: number): Promise<number> {
    const current = this.entries.get(checkKvKey(key));
    if (!current || current.revision !== revision)
      throw new KvConflictError(key, `not at revision ${revision}`);
    return this.write(key, value);
  }

  async delete(key: string): Promise<void> {
    if (this.entries.has(checkKvKey(key))) this.write(key, undefined);
  }

  async keys(): Promise<string[]> {
    return [...this.entries.keys()].sort();
  }

  async watch(
    handler: (key: string, value: Uint8Array | undefined, revision: number) => void,
  ): Promise<() => void> {
    this.watchers.add(handler);
    return () => this.watchers.delete(handler);
  }
}
