import type { Readable } from 'node:stream';

/** Where scan results, SBOMs and advisories live: S3 (Minio, AWS, Ceph) in a cluster, a directory locally. */
export interface ObjectStore {
  /** Writes (or overwrites: writes are idempotent by key) an object. */
  put(key: string, body: Buffer | string | Readable, options?: { contentType?: string }): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  getStream(key: string): Promise<Readable | undefined>;
  stat(key: string): Promise<{ size: number; modified: Date } | undefined>;
  /** Keys under a prefix, in lexical order, however many there are. */
  list(prefix: string): AsyncIterable<string>;
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9!_.*'()@=+:,~-]+(\/[A-Za-z0-9!_.*'()@=+:,~-]+)*$/;

/**
 * Keys come from scan ids, node names and digests: anything that could climb a directory, hide in
 * control characters or exceed S3's limit is refused, naming the key.
 */
export function checkKey(key: string): string {
  if (
    key.length === 0 ||
    key.length > 1024 ||
    !KEY.test(key) ||
    key.split('/').some((part) => part === '.' || part === '..')
  ) {
    throw new Error(`invalid object key ${JSON.stringify(key)}`);
  }
  return key;
}

/** Prefixes are keys with a trailing slash, or empty for everything. */
export function checkPrefix(prefix: string): string {
  if (prefix === '') return prefix;
  checkKey(prefix.endsWith('/') ? prefix.slice(0, -1) : prefix);
  return prefix;
}
