import { mkdtempSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { falcoAlertPod } from '../../harness/cluster/falco-alert-pod.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';

let stack: RunningStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

async function start() {
  const bus = new MemoryBus({ ackWaitMs: 4000, maxDeliver: 3 });
  stack = await startStack({
    bus: async () => sharedBus(bus),
    store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-falco-'))),
    objects: falcoAlertPod('node-1'),
    nodes: [],
  });
  return { port: stack.aggregators[0]!.port, token: stack.token };
}

/**
 * POSTs `chunks` one after another (chunked, unless `length` is given), as a client that keeps sending
 * after the server has answered would. Resolves with the answer, or rejects on a connection error.
 */
function postChunks(
  port: number,
  token: string,
  chunks: Buffer[],
  length?: number,
): Promise<{ status: number; body: string; contentType?: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/falco',
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${token}`,
          ...(length !== undefined ? { 'content-length': length } : {}),
        },
      },
      (res) => {
        let text = '';
        res.on('data', (d) => (text += d));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, body: text, contentType: res.headers['content-type'] }),
        );
      },
    );
    req.on('error', reject);
    const writeNext = (i: number) => {
      if (i === chunks.length) return req.end();
      if (req.write(chunks[i]!)) setImmediate(() => writeNext(i + 1));
      else req.once('drain', () => writeNext(i + 1));
    };
    writeNext(0);
  });
}

const MiB = 1024 * 1024;
const filler = (n: number) => Array.from({ length: n }, () => Buffer.alloc(256 * 1024, 0x20));

describe('POST /falco with an oversized body', () => {
  it('answers 413 with a JSON error when Content-Length is over the limit, not a reset', async () => {
    const { port, token } = await start();
    const chunks = filler(16); // 4 MiB
    const answer = await postChunks(port, token, chunks, 4 * MiB);
    expect(answer.status).toBe(413);
    expect(answer.contentType).toBe('application/json');
    expect(JSON.parse(answer.body)).toEqual({ error: `request body over ${MiB} bytes` });
  });

  it('answers 413 to a chunked body that grows past the limit, and still takes alerts afterwards', async () => {
    const { port, token } = await start();
    const answer = await postChunks(port, token, filler(24)); // 6 MiB, no Content-Length
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body).error).toMatch(/over 1048576 bytes/);
    const alert = readFileSync('test/fixtures/runtime/falco-alert.json');
    const accepted = await postChunks(port, token, [alert]);
    expect(accepted.status).toBe(202);
  });
});
