import { Readable, Transform } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/**
 * Reads a response body whole, refusing more than `max` bytes (declared or actual) — for manifests and
 * tokens — and, with `timeoutMs`, a body that does not finish in time.
 */
export async function readCapped(
  response: Response,
  max: number,
  what: string,
  timeoutMs?: number,
): Promise<Buffer> {
  if (timeoutMs === undefined) return readAll(response, max, what);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      response.body?.cancel().catch(() => {});
      reject(new Error(`${what}: body not received within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([readAll(response, max, what), late]);
  } finally {
    clearTimeout(timer);
  }
}

async function readAll(response: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > max) {
    await response.body?.cancel();
    throw new Error(`${what} is ${declared} bytes, over the ${max}-byte limit`);
  }
  if (!response.body) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > max) {
      await response.body.cancel().catch(() => {});
      throw new Error(`${what} is over the ${max}-byte limit`);
    }
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

/**
 * A response body as a Node stream that fails when no byte arrives for `idleMs`: a stalled blob
 * download becomes an error naming it, while a slow but moving one of any size still completes.
 */
export function bodyWithIdleTimeout(
  response: Response,
  idleMs: number,
  what: string,
  watch: { signal?: AbortSignal; onProgress?: (bytes: number) => void } = {},
): Readable {
  if (!response.body) return Readable.from([]);
  const source = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
  let timer: NodeJS.Timeout | undefined;
  const guard: Transform = new Transform({
    transform(chunk: Buffer, _encoding: string, callback: (error?: Error | null, data?: Buffer) => void) {
      arm();
      watch.onProgress?.(chunk.length);
      callback(null, chunk);
    },
    flush(callback: () => void) {
      clearTimeout(timer);
      callback();
    },
  });
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => guard.destroy(new Error(`${what}: no data for ${idleMs} ms`)), idleMs);
    timer.unref();
  };
  arm();
  guard.on('close', () => clearTimeout(timer));
  source.on('error', (error) => guard.destroy(new Error(`${what}: ${error.message}`)));
  guard.on('close', () => source.destroy());
  // A caller's abort (a job's limit) ends the download now, with the caller's reason.
  const abort = () => {
    const reason = watch.signal?.reason;
    guard.destroy(
      new Error(`${what}: ${reason instanceof Error ? reason.message : String(reason ?? 'aborted')}`),
    );
  };
  if (watch.signal?.aborted) abort();
  else if (watch.signal) {
    watch.signal.addEventListener('abort', abort, { once: true });
    guard.on('close', () => watch.signal?.removeEventListener('abort', abort));
  }
  source.pipe(guard);
  return guard;
}

/** Error details from a registry's JSON error body (distribution-spec "Error Codes"), if it has any. */
export async function registryErrors(response: Response): Promise<string> {
  try {
    const body = JSON.parse((await readCapped(response, 64 * 1024, 'error body')).toString('utf8')) as {
      errors?: Array<{ code?: unknown; message?: unknown }>;
    };
    const parts = (Array.isArray(body.errors) ? body.errors : [])
      .map((e) => [e?.code, e?.message].filter((x) => typeof x === 'string').join(': '))
      .filter(Boolean);
    return parts.length ? ` (${parts.join('; ').slice(0, 300)})` : '';
  } catch {
    return '';
  }
}
