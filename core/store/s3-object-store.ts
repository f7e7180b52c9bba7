import type { Readable } from 'node:stream';
import { Client } from 'minio';
import { checkKey, checkPrefix, type ObjectStore } from './object-store.js';

export interface S3Options {
  /** `http(s)://host[:port]` of any S3-compatible endpoint (Minio, AWS S3, Ceph RGW). */
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region?: string;
  /** Create the bucket when it does not exist (Minio installs, tests). */
  createBucket?: boolean;
}

const RETRIES = 3;
const MAX_OBJECT_BYTES = 512 * 1024 * 1024;

async function gather(stream: Readable, max: number, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    size += (chunk as Buffer).length;
    if (size > max) throw new Error(`object ${key} is larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

async function retrying<T>(what: string, attempt: () => Promise<T>): Promise<T> {
  let last: unknown;
  for (let i = 0; i < RETRIES; i++) {
    try {
      return await attempt();
    } catch (error) {
      const code = (error as { code?: string }).code ?? '';
      // Only transient failures are retried; a missing key or a refused request is an answer.
      if (
        ['NoSuchKey', 'NotFound', 'AccessDenied', 'InvalidAccessKeyId', 'SignatureDoesNotMatch'].includes(
          code,
        )
      )
        throw error;
      last = error;
      await new Promise((r) => setTimeout(r, 100 * 2 ** i));
    }
  }
  throw new Error(`${what}: ${(last as Error)?.message ?? last}`);
}

const isMissing = (error: unknown) =>
  ['NoSuchKey', 'NotFound'].includes((error as { code?: string }).code ?? '');

/** Objects in an S3 bucket through the `minio` client (path-style, so any S3-compatible server works). */
export class S3ObjectStore implements ObjectStore {
  private readonly client: Client;
  private ready?: Promise<void>;

  constructor(private readonly options: S3Options) {
    const url = new URL(options.endpoint);
    this.client = new Client({
      endPoint: url.hostname,
      port: url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
      useSSL: url.protocol === 'https:',
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region ?? 'us-east-1',
      pathStyle: true,
    });
  }

  private bucket(): Promise<void> {
    this.ready ??= (async () => {
      if (await this.client.bucketExists(this.options.bucket)) return;
      if (!this.options.createBucket)
        throw new Error(`bucket ${this.options.bucket} does not exist at ${this.options.endpoint}`);
      await this.client.makeBucket(this.options.bucket, this.options.region ?? 'us-east-1');
    })();
    return this.ready;
  }

  async put(
    key: string,
    body: Buffer | string | Readable,
    options: { contentType?: string } = {},
  ): Promise<void> {
    checkKey(key);
    await this.bucket();
    const metadata = options.contentType ? { 'Content-Type': options.contentType } : {};
    // Streams are gathered first: a known length lets every S3 implementation take a single signed
    // PUT (no aws-chunked encoding), and a buffer can be retried. seco's objects are reports, job
    // results and SBOMs — megabytes, not gigabytes — and the cap says so loudly if that changes.
    const bytes =
      typeof body === 'string' || Buffer.isBuffer(body)
        ? Buffer.from(body)
        : await gather(body, MAX_OBJECT_BYTES, key);
    await retrying(`put ${key}`, () =>
      this.client.putObject(this.options.bucket, checkKey(key), bytes, bytes.length, metadata),
    );
  }

  async get(key: string): Promise<Buffer | undefined> {
    const stream = await this.getStream(key);
    if (!stream) return undefined;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async getStream(key: string): Promise<Readable | undefined> {
    await this.bucket();
    try {
      return await retrying(`get ${key}`, () => this.client.getObject(this.options.bucket, checkKey(key)));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async stat(key: string): Promise<{ size: number; modified: Date } | undefined> {
    await this.bucket();
    try {
      const info = await this.client.statObject(this.options.bucket, checkKey(key));
      return { size: info.size, modified: info.lastModified };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    await this.bucket();
    // ListObjects (v1, marker paging) is the call every S3-compatible server implements alike; the client
    // pages through markers itself and names arrive in lexical order.
    const stream = this.client.listObjects(this.options.bucket, checkPrefix(prefix), true);
    for await (const item of stream) {
      const name = (item as { name?: string }).name;
      if (name) yield name;
    }
  }

  async delete(key: string): Promise<void> {
    await this.bucket();
    await retrying(`delete ${key}`, () => this.client.removeObject(this.options.bucket, checkKey(key)));
  }
}
