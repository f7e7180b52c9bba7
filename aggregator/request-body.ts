import type { IncomingMessage, ServerResponse } from 'node:http';
import { send } from './http-server.js';

/** Bytes of an oversized body read and dropped after the 413, so the sender sees the answer, not a reset. */
const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
/** How long an oversized sender is given to finish before its connection is cut. */
const DRAIN_MAX_MS = 10_000;

export type BodyRead = { ok: true; body: Buffer } | { ok: false };

/**
 * Reads a request body of at most `limit` bytes. A larger one (said by Content-Length, or found while
 * reading) is answered `413` with a JSON error at once, and the rest of it is read and dropped before the
 * connection closes: closing a socket with unread data makes the kernel send a reset, and the client
 * would see "connection reset" instead of the 413 it was sent.
 */
export function readLimitedBody(
  request: IncomingMessage,
  response: ServerResponse,
  limit: number,
): Promise<BodyRead> {
  return new Promise((resolve) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) {
      refuse(request, response, limit);
      resolve({ ok: false });
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      chunks.length = 0;
      refuse(request, response, limit);
      resolve({ ok: false });
    };
    const onEnd = () => {
      cleanup();
      resolve({ ok: true, body: Buffer.concat(chunks) });
    };
    const onError = () => {
      cleanup();
      resolve({ ok: false });
    };
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
  });
}

function refuse(request: IncomingMessage, response: ServerResponse, limit: number): void {
  response.setHeader('connection', 'close');
  send(
    response,
    413,
    `${JSON.stringify({ error: `request body over ${limit} bytes` })}\n`,
    'application/json',
  );
  let drained = 0;
  const cut = () => request.socket.destroy();
  const timer = setTimeout(cut, DRAIN_MAX_MS);
  timer.unref();
  request.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_MAX_BYTES) cut();
  });
  request.once('end', () => clearTimeout(timer));
  request.once('close', () => clearTimeout(timer));
  request.resume();
}
