/** Small shared state (scan ownership and progress, agent heartbeats) with revisions for compare-and-set. */
export interface KvEntry {
  value: Uint8Array;
  revision: number;
}

export class KvConflictError extends Error {
  constructor(key: string, why: string) {
    super(`key ${JSON.stringify(key)}: ${why}`);
    this.name = 'KvConflictError';
  }
}

export interface KeyValue {
  get(key: string): Promise<KvEntry | undefined>;
  /** Writes unconditionally; returns the new revision. */
  put(key: string, value: Uint8Array): Promise<number>;
  /** Writes only if the key does not exist (or was deleted); else KvConflictError. */
  create(key: string, value: Uint8Array): Promise<number>;
  /** Writes only if the key is still at `revision`; else KvConflictError. */
  update(key: string, value: Uint8Array, revision: number): Promise<number>;
  delete(key: string): Promise<void>;
  keys(): Promise<string[]>;
  /** Calls back on every later change (value undefined: deleted). Returns a function that stops it. */
  watch(handler: (key: string, value: Uint8Array | undefined, revision: number) => void): Promise<() => void>;
}

const KEY = /^[-/_=.a-zA-Z0-9]+$/;

/** NATS KV's key alphabet, enforced for both implementations so code that works locally works in a cluster. */
export function checkKvKey(key: string): string {
  if (!KEY.test(key) || key.startsWith('.') || key.endsWith('.') || key.length > 512)
    throw new Error(`invalid key ${JSON.stringify(key)}`);
  return key;
}
