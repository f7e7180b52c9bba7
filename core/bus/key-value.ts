/** Small shared state (scan ownership and progress, agent heartbeats) with revisions for compare-and-set. */
export interface KvEntry {
  value: Uint8Array;
  revision: number;
}

/** A create on an existing key, or an update at a revision the key is no longer at. */
export class KvConflictError extends Error {
  constructor(
    readonly key: string,
    why: string,
  ) {
    super(`key ${JSON.stringify(key)}: ${why}`);
    this.name = 'KvConflictError';
  }
}

export type KvWatchHandler = (key: string, value: Uint8Array | undefined, revision: number) => void;

export interface KeyValue {
  get(key: string): Promise<KvEntry | undefined>;
  /** Writes unconditionally; returns the new revision. */
  put(key: string, value: Uint8Array): Promise<number>;
  /** Writes only if the key does not exist (or was deleted); else KvConflictError. */
  create(key: string, value: Uint8Array): Promise<number>;
  /** Writes only if the key is still at `revision`; else KvConflictError. */
  update(key: string, value: Uint8Array, revision: number): Promise<number>;
  delete(key: string): Promise<void>;
  /** Live keys, sorted; with `under`, only the keys below that dotted prefix (`under.…`). */
  keys(under?: string): Promise<string[]>;
  /**
   * Calls back on every later change (value undefined: deleted); with `key`, on that key's only (the server
   * then sends nothing else, and a user allowed to read only that key may watch it). Returns a stopper.
   */
  watch(handler: KvWatchHandler, key?: string): Promise<() => void>;
}

// NATS KV's key alphabet (ADR-8): enforced for both implementations so code that works locally works in a
// cluster.
const KEY = /^[-/_=.a-zA-Z0-9]+$/;
// ADR-8 bucket names: letters, digits, `-` and `_`.
const BUCKET = /^[-_a-zA-Z0-9]{1,64}$/;

export function checkKvKey(key: string): string {
  if (
    typeof key !== 'string' ||
    !KEY.test(key) ||
    key.startsWith('.') ||
    key.endsWith('.') ||
    key.length > 512
  )
    throw new Error(
      `invalid key ${JSON.stringify(key)}: NATS KV keys are [-/_=.a-zA-Z0-9], not starting or ending in "."`,
    );
  return key;
}

export function checkBucketName(bucket: string): string {
  if (typeof bucket !== 'string' || !BUCKET.test(bucket))
    throw new Error(
      `invalid key-value bucket name ${JSON.stringify(bucket)}: use [-_a-zA-Z0-9], 1 to 64 characters`,
    );
  return bucket;
}
