import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

export interface PresignedRequest {
  method: 'GET' | 'HEAD' | 'PUT';
  url: string;
  body?: Buffer;
  contentType?: string;
  /** PEM of the CA the store's certificate chains to (seco's Minio); system CAs when unset. */
  tlsCa?: string;
  timeoutMs?: number;
}

/**
 * One request to a pre-signed URL with no credentials of its own: the URL's query string is the whole
 * authorization (AWS SigV4 query signing). Resolves with the response (its body unread) or rejects on a
 * connection failure or timeout, naming the object's path and never the signature.
 */
export function presignedRequest(options: PresignedRequest): Promise<IncomingMessage> {
  const url = new URL(options.url);
  const where = `${options.method} ${url.pathname}`;
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    return Promise.reject(new Error(`${where}: a pre-signed URL must be http(s), not ${url.protocol}`));
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(
      url,
      {
        method: options.method,
        headers: {
          ...(options.body ? { 'content-length': String(options.body.length) } : {}),
          ...(options.contentType ? { 'content-type': options.contentType } : {}),
        },
        ...(url.protocol === 'https:' && options.tlsCa ? { ca: options.tlsCa } : {}),
        timeout: options.timeoutMs ?? 60_000,
      },
      resolve,
    );
    req.once('timeout', () =>
      req.destroy(new Error(`${where}: no answer within ${options.timeoutMs ?? 60_000} ms`)),
    );
    req.once('error', (error) => reject(new Error(`${where}: ${error.message}`)));
    req.end(options.body);
  });
}

/** Reads a response body whole, refusing one over `max` bytes. */
export async function readBody(response: IncomingMessage, max: number, where: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of response) {
    size += (chunk as Buffer).length;
    if (size > max) {
      response.destroy();
      throw new Error(`${where}: the object is over ${max} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}
