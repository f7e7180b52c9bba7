import type { Readable } from 'node:stream';

export { checkKey, checkPrefix, InvalidObjectKeyError } from './object-key.js';

export interface ObjectInfo {
  size: number;
  modified: Date;
  contentType?: string;
}

export interface PutOptions {
  contentType?: string;
}

/**
 * Where scan results, SBOMs and advisories live: S3 (Minio, AWS, Ceph) in a cluster, a directory locally.
 * Keys are `/`-separated paths checked by `checkKey`; an invalid key is refused with InvalidObjectKeyError.
 */
export interface ObjectStore {
  /** Writes (or overwrites: writes are idempotent by key) an object, whole or not at all. */
  put(key: string, body: Uint8Array | string | Readable, options?: PutOptions): Promise<void>;
  /** The object's bytes, or undefined when there is none. */
  get(key: string): Promise<Buffer | undefined>;
  getStream(key: string): Promise<Readable | undefined>;
  stat(key: string): Promise<ObjectInfo | undefined>;
  /** Keys starting with `prefix`, in lexical (byte) order, fetched page by page however many there are. */
  list(prefix: string): AsyncIterable<string>;
  /** Removes the object; removing one that is not there is not an error. */
  delete(key: string): Promise<void>;
  /**
   * A URL that allows exactly `method` on `key` for `seconds`, to hand to a holder of no store credentials
   * (agents; AWS SigV4 query signing). Only stores with credentials of their own have it.
   */
  presign?(method: PresignMethod, key: string, seconds: number): Promise<string>;
}

export type PresignMethod = 'GET' | 'HEAD' | 'PUT';
