import { type KV, Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { checkKvKey, type KeyValue, KvConflictError, type KvEntry } from './key-value.js';

/** A NATS JetStream KV bucket (created if missing; opening an existing one is idempotent). */
export class NatsKeyValue implements KeyValue {
  private constructor(private readonly kv: KV) {}

  static async open(nc: NatsConnection, bucket: string): Promise<NatsKeyValue> {
    return new NatsKeyValue(await new Kvm(nc).create(bucket, { history: 1 }));
  }

  async get(key: string): Promise<KvEntry | undefined> {
    const entry = await this.kv.get(checkKvKey(key));
    if (entry?.operation !== 'PUT') return undefined;
    return { value: entry.value, revision: entry.revision };
  }

  async put(key: string, value: Uint8Array): Promise<number> {
    return this.kv.put(checkKvKey(key), value);
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    try {
      return await this.kv.create(checkKvKey(key), value);
    } catch (error) {
      throw conflict(key, error, 'already exists');
    }
  }

  async update(key: string, value: Uint8Array, revision: number): Promise<number> {
    try {
      return await this.kv.update(checkKvKey(key), value, revision);
    } catch (error) {
      throw conflict(key, error, `not at revision ${revision}`);
    }
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(checkKvKey(key));
  }

  async keys(): Promise<string[]> {
    const keys: string[] = [];
    for await (const key of await this.kv.keys()) keys.push(key);
    return keys.sort();
  }

  async watch(
    handler: (key: string, value: Uint8Array | undefined, revision: number) => void,
  ): Promise<() => void> {
    const watcher = await this.kv.watch({ include: 'updates' as never });
    void (async () => {
      for await (const entry of watcher)
        handler(entry.key, entry.operation === 'PUT' ? entry.value : undefined, entry.revision);
    })();
    return () => watcher.stop();
  }
}

function conflict(key: string, error: unknown, why: string): Error {
  // JetStream answers a failed compare-and-set with "wrong last sequence" (error code 10071).
  return /wrong last sequence|10071|key exists/i.test(String(error))
    ? new KvConflictError(key, why)
    : (error as Error);
}
