import type { JetStreamClient } from '@nats-io/jetstream';
import { type KV, Kvm, KvWatchInclude } from '@nats-io/kv';
import {
  checkBucketName,
  checkKvKey,
  type KeyValue,
  KvConflictError,
  type KvEntry,
  type KvWatchHandler,
} from '../key-value.js';
import { checkMessage } from '../message-size.js';
import { liveKeys } from './kv-live-keys.js';

export interface NatsKeyValueOptions {
  replicas?: number;
  maxValueBytes?: number;
  /**
   * Bind to an existing bucket without any JetStream API call (an agent may not create or even look up
   * streams): reads use direct get by key subject, which a permission can pin to one key.
   */
  bindOnly?: boolean;
}

/** A NATS JetStream KV bucket (created if missing; opening an existing one is idempotent). */
export class NatsKeyValue implements KeyValue {
  private constructor(
    private readonly kv: KV,
    private readonly js: JetStreamClient,
    private readonly bucket: string,
    private readonly maxValueBytes?: number,
  ) {}

  static async open(
    js: JetStreamClient,
    bucket: string,
    options: NatsKeyValueOptions = {},
  ): Promise<NatsKeyValue> {
    // History 1: only the current value matters, and compare-and-set works on the latest revision.
    const kv = options.bindOnly
      ? await new Kvm(js).open(checkBucketName(bucket), { allow_direct: true })
      : await new Kvm(js).create(checkBucketName(bucket), {
          history: 1,
          replicas: options.replicas ?? 1,
        });
    return new NatsKeyValue(kv, js, bucket, options.maxValueBytes);
  }

  private value(key: string, value: Uint8Array): Uint8Array {
    return checkMessage(`key ${JSON.stringify(key)} in bucket ${this.bucket}`, value, this.maxValueBytes);
  }

  async get(key: string): Promise<KvEntry | undefined> {
    const entry = await this.kv.get(checkKvKey(key));
    if (entry?.operation !== 'PUT') return undefined; // absent, or a delete/purge marker
    return { value: entry.value, revision: entry.revision };
  }

  async put(key: string, value: Uint8Array): Promise<number> {
    return this.kv.put(checkKvKey(key), this.value(key, value));
  }

  async create(key: string, value: Uint8Array): Promise<number> {
    try {
      return await this.kv.create(checkKvKey(key), this.value(key, value));
    } catch (error) {
      throw conflict(key, error, 'already exists');
    }
  }

  async update(key: string, value: Uint8Array, revision: number): Promise<number> {
    try {
      return await this.kv.update(checkKvKey(key), this.value(key, value), revision);
    } catch (error) {
      throw conflict(key, error, `not at revision ${revision}`);
    }
  }

  async delete(key: string): Promise<void> {
    await this.kv.delete(checkKvKey(key));
  }

  async keys(under?: string): Promise<string[]> {
    // A subject filter: the server sends only the keys below `under`, not the whole bucket.
    const filter = under === undefined ? '>' : `${checkKvKey(under)}.>`;
    return (await liveKeys(this.js, this.bucket, filter)).sort();
  }

  async watch(handler: KvWatchHandler, key?: string): Promise<() => void> {
    const watcher = await this.kv.watch({
      include: KvWatchInclude.UpdatesOnly,
      ...(key === undefined ? {} : { key: checkKvKey(key) }),
    });
    void (async () => {
      for await (const entry of watcher) {
        try {
          handler(entry.key, entry.operation === 'PUT' ? entry.value : undefined, entry.revision);
        } catch {
          // The watcher's failure is its own; the watch goes on.
        }
      }
    })();
    return () => watcher.stop();
  }
}

function conflict(key: string, error: unknown, why: string): Error {
  // JetStream answers a failed compare-and-set with "wrong last sequence" (API error 10071); the kv client
  // says "key exists" for a create over a live key.
  return /wrong last sequence|10071|key exists/i.test(String(error))
    ? new KvConflictError(key, why)
    : (error as Error);
}
