import { Readable } from 'node:stream';
import { Client } from 'minio';
import { checkKey, checkPrefix } from '../object-key.js';
import type { ObjectInfo, ObjectStore, PresignMethod, PutOptions } from '../object-store.js';
import { idleBoundedAgent, S3_IDLE_MS } from './idle-bounded-agent.js';
import { parseS3Endpoint } from './s3-endpoint.js';
import { isMissing, type RetryPolicy, retrying } from './s3-retry.js';

export interface S3Options {
  /** `http(s)://host[:port]` of any S3-compatible endpoint (Minio, AWS S3, Ceph RGW). */
  endpoint: string;
  bucket: string;
  accessKey: string;
  secretKey: string;
  region?: string;
  /** Create the bucket when it does not exist (Minio installs, tests). */
  createBucket?: boolean;
  /** Attempts for a request failing transiently (5xx, SlowDown, reset connections); 4 when unset. */
  retries?: number;
  /** PEM of the CA an https endpoint's certificate must chain to (seco's own Minio); system CAs when unset. */
  tlsCa?: string;
  /** How long a connection may stay silent mid-request before the request fails and is retried. */
  idleMs?: number;
}

/** Longest a pre-signed URL may live: SigV4 allows 7 days; seco's are minutes. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

const MAX_OBJECT_BYTES = 512 * 1024 * 1024;

async function gather(stream: Readable, max: number, key: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string);
    size += buffer.length;
    if (size > max) throw new Error(`S3 put ${key}: the stream is larger than ${max} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks);
}

/** Objects in an S3 bucket through the `minio` client, path-style so any S3-compatible server works. */
export class S3ObjectStore implements ObjectStore {
  private readonly client: Client;
  private readonly retry: RetryPolicy;
  private ready?: Promise<void>;

  constructor(private readonly options: S3Options) {
    const { host, port, useSSL } = parseS3Endpoint(options.endpoint);
    this.client = new Client({
      endPoint: host,
      port,
      useSSL,
      accessKey: options.accessKey,
      secretKey: options.secretKey,
      region: options.region ?? 'us-east-1',
      pathStyle: true,
      // One PUT for every object up to the cap: minio goes multipart past its 64 MiB default part, and
      // S3-compatible servers do not all take multipart (s3rver answers 501) — the report of a scan of a
      // large cluster (20,000 workloads) is larger than that. A single PUT takes up to 5 GiB on S3.
      partSize: MAX_OBJECT_BYTES,
      transportAgent: idleBoundedAgent(useSSL, options.idleMs ?? S3_IDLE_MS, options.tlsCa),
    });
    this.retry = { attempts: Math.max(1, options.retries ?? 4), baseDelayMs: 100 };
  }

  private get bucketName(): string {
    return this.options.bucket;
  }

  /** Checks (and maybe creates) the bucket once; a failed check is tried again on the next call. */
  private bucket(): Promise<void> {
    this.ready ??= this.ensureBucket().catch((error) => {
      this.ready = undefined;
      throw error;
    });
    return this.ready;
  }

  private async ensureBucket(): Promise<void> {
    const { bucket, endpoint, region } = this.options;
    if (await retrying(`bucket ${bucket}`, this.retry, () => this.client.bucketExists(bucket))) return;
    if (!this.options.createBucket) throw new Error(`S3 bucket ${bucket} does not exist at ${endpoint}`);
    try {
      await this.client.makeBucket(bucket, region ?? 'us-east-1');
    } catch (error) {
      // Another process created it first: that is what we wanted.
      const code = (error as { code?: unknown }).code;
      if (code !== 'BucketAlreadyOwnedByYou' && code !== 'BucketAlreadyExists') throw error;
    }
  }

  async put(key: string, body: Uint8Array | string | Readable, options: PutOptions = {}): Promise<void> {
    checkKey(key);
    await this.bucket();
    const metadata = options.contentType ? { 'Content-Type': options.contentType } : {};
    // A stream is read whole first: minio sends a stream of unknown length as a multipart upload sized for
    // 5 TiB that starts by listing uploads, which S3-compatible servers do not all implement; a known length
    // is one signed PUT everywhere, and a buffer can be retried. seco's objects are reports, job results
    // and SBOMs (megabytes), and the cap says so loudly if that changes.
    const bytes =
      body instanceof Readable
        ? await gather(body, MAX_OBJECT_BYTES, key)
        : typeof body === 'string'
          ? Buffer.from(body, 'utf8')
          : Buffer.from(body);
    await retrying(`put ${key}`, this.retry, () =>
      this.client.putObject(this.bucketName, key, bytes, bytes.length, metadata),
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
    checkKey(key);
    await this.bucket();
    try {
      return await retrying(`get ${key}`, this.retry, () => this.client.getObject(this.bucketName, key));
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    checkKey(key);
    await this.bucket();
    try {
      const info = await retrying(`stat ${key}`, this.retry, () =>
        this.client.statObject(this.bucketName, key),
      );
      const contentType = info.metaData?.['content-type'];
      return {
        size: info.size,
        modified: info.lastModified,
        ...(typeof contentType === 'string' ? { contentType } : {}),
      };
    } catch (error) {
      if (isMissing(error)) return undefined;
      throw error;
    }
  }

  async *list(prefix: string): AsyncIterable<string> {
    checkPrefix(prefix);
    await this.bucket();
    // ListObjects v1 with markers is the listing every S3-compatible server implements alike; the client
    // fetches the next page (1000 keys) as this iterator is read, and names arrive in lexical order.
    for await (const item of this.client.listObjects(this.bucketName, prefix, true)) {
      const name = (item as { name?: unknown }).name;
      if (typeof name === 'string') yield name;
    }
  }

  async presign(method: PresignMethod, key: string, seconds: number): Promise<string> {
    checkKey(key);
    const expiry = Math.max(1, Math.min(MAX_PRESIGN_SECONDS, Math.ceil(seconds)));
    // Signed locally (no request): the region is given, so minio does not ask the server for it.
    return this.client.presignedUrl(method, this.bucketName, key, expiry);
  }

  async delete(key: string): Promise<void> {
    checkKey(key);
    await this.bucket();
    // S3 DELETE of a missing key succeeds (204), so deleting twice is not an error.
    await retrying(`delete ${key}`, this.retry, () => this.client.removeObject(this.bucketName, key));
  }
}
