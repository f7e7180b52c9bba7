import type { IncomingMessage } from 'node:http';
import { apiErrors } from './api-status.js';

/** kube-apiserver's default request body limit; an alert batch or a scan request is far smaller. */
const MAX_BODY_BYTES = 3 * 1024 * 1024;

/** A JSON request body of at most 3 MiB; 413 past it, 400 when it is not JSON. */
export async function readJsonBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      request.resume();
      throw Object.assign(apiErrors.badRequest(`the request body is larger than ${MAX_BODY_BYTES} bytes`), {
        code: 413,
        reason: 'RequestEntityTooLarge',
      });
    }
    chunks.push(chunk);
  }
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw apiErrors.badRequest('the request body is not JSON');
  }
}
