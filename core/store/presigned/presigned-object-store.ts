import type { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { checkKey } from '../object-key.js';
import type { ObjectInfo, ObjectStore, PresignMethod, PutOptions } from '../object-store.js';
import { presignedRequest, readBody } from './presigned-request.js';

const MAX_OBJECT_BYTES = 512 * 1024 * 1024;
/** A grant is asked again this long before its signature runs out, so no request starts on a dying URL. */
const RENEW_BEFORE_MS = 30_000;

/** Gets a pre-signed URL for one method on one object, or rejects saying why it is not allowed. */
export type GrantSource = (key: string, method: PresignMethod) => Promise<{ url: string; expiresAt: number }>;

/**
 * The object store as an agent sees it: every request goes to a pre-signed URL the aggregator granted for
 * that object and method, so the agent holds no store credentials. Listing and deleting are never granted;
 * what a job may touch is decided by whoever answers `grant` (aggregator/object-grants.ts) and enforced by
 * the store, whose signature covers method, bucket, key and expiry.
 */
export class PresignedObjectStore implements ObjectStore {
  private readonly granted = new Map<string, Promise<{ url: string; expiresAt: number }>>();

  constructor(
    private readonly grant: GrantSource,
    private readonly options: { tlsCa?: string; now?: () => number } = {},
  ) {}

  private async url(key: string, method: PresignMethod): Promise<string> {
    checkKey(key);
    const id = `${method} ${key}`;
    const now = (this.options.now ?? Date.now)();
    let pending = this.granted.get(id);
    const held = pending && (await pending.catch(() => undefined));
    if (!held || held.expiresAt - RENEW_BEFORE_MS < now) {
      pending = this.grant(key, method);
      this.granted.set(id, pending);
      pending.catch(() => this.granted.delete(id)); // a refusal is asked again next time
    }
    return (await pending!).url;
  }

  private async send(method: PresignMethod, key: string, body?: Buffer, contentType?: string) {
    return presignedRequest({
      method,
      url: await this.url(key, method),
      ...(body ? { body } : {}),
      ...(contentType ? { contentType } : {}),
      ...(this.options.tlsCa ? { tlsCa: this.options.tlsCa } : {}),
    });
  }

  async put(key: string, body: Uint8Array | string | Readable, options: PutOptions = {}): Promise<void> {
    const bytes =
      body instanceof Readable
        ? await readBody(body as IncomingMessage, MAX_OBJECT_BYTES, `PUT ${key}`)
        : typeof body === 'string'
          ? Buffer.from(body, 'utf8')
          : Buffer.from(body);
    const response = await this.send('PUT', key, bytes, options.contentType);
    await failUnlessOk(response, `PUT ${key}`);
    response.resume();
  }

  async get(key: string): Promise<Buffer | undefined> {
    const response = await this.getResponse(key);
    return response && readBody(response, MAX_OBJECT_BYTES, `GET ${key}`);
  }

  async getStream(key: string): Promise<Readable | undefined> {
    return this.getResponse(key);
  }

  private async getResponse(key: string): Promise<IncomingMessage | undefined> {
    const response = await this.send('GET', key);
    if (response.statusCode === 404) {
      response.resume();
      return undefined;
    }
    await failUnlessOk(response, `GET ${key}`);
    return response;
  }

  async stat(key: string): Promise<ObjectInfo | undefined> {
    const response = await this.send('HEAD', key);
    response.resume();
    if (response.statusCode === 404) return undefined;
    await failUnlessOk(response, `HEAD ${key}`);
    const type = response.headers['content-type'];
    return {
      size: Number(response.headers['content-length'] ?? 0),
      modified: new Date(response.headers['last-modified'] ?? 0),
      ...(type ? { contentType: type } : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: refusing is all this store does for a listing
  async *list(prefix: string): AsyncIterable<string> {
    throw new Error(`list ${prefix}: an agent may not list the store`);
  }

  async delete(key: string): Promise<void> {
    throw new Error(`DELETE ${key}: an agent may not delete from the store`);
  }
}

/** A non-2xx answer as an error naming the object and the store's own error code (S3 XML `<Code>`). */
async function failUnlessOk(response: IncomingMessage, where: string): Promise<void> {
  const status = response.statusCode ?? 0;
  if (status >= 200 && status < 300) return;
  const body = await readBody(response, 64 * 1024, where).catch(() => Buffer.alloc(0));
  const code = /<Code>([^<]{1,100})<\/Code>/.exec(body.toString('utf8'))?.[1];
  throw new Error(`${where}: the store answered ${status}${code ? ` ${code}` : ''}`);
}
