import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';
import { objectStoreContract } from './object-store-contract.js';

let s3: RunningS3;
beforeAll(async () => {
  s3 = await startS3('seco');
}, 30_000);
afterAll(async () => s3?.stop());

const store = (bucket: string, createBucket = true, idleMs?: number) =>
  new S3ObjectStore({
    endpoint: s3.endpoint,
    bucket,
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
    createBucket,
    ...(idleMs ? { idleMs } : {}),
  });

// Each test gets a bucket of its own (created on first use), so "empty store" holds for S3 too.
objectStoreContract('S3 (real s3rver through the minio client)', () => store(`t-${randomUUID()}`));

describe('S3ObjectStore', () => {
  it('keeps the content type it was given', async () => {
    const s = store(s3.bucket);
    await s.put('scans/s1/report.json', '{}', { contentType: 'application/json' });
    expect(await s.stat('scans/s1/report.json')).toMatchObject({ size: 2, contentType: 'application/json' });
  });

  it('says a missing bucket is missing, naming it, unless told to create it', async () => {
    await expect(store('not-there', false).get('k')).rejects.toThrow(
      /S3 bucket not-there does not exist at http/,
    );
    const created = store('made-on-demand', true);
    await created.put('k', 'v');
    expect((await store('made-on-demand', false).get('k'))?.toString()).toBe('v');
  });

  it('fails after its retries when nothing listens, naming the operation', async () => {
    const down = new S3ObjectStore({
      endpoint: 'http://127.0.0.1:1',
      bucket: 'seco-down',
      accessKey: 'a',
      secretKey: 's',
      retries: 2,
    });
    await expect(down.get('k')).rejects.toThrow(/S3 bucket seco-down: .*ECONNREFUSED/);
  });

  it('fails after its retries when the server accepts and never answers, naming the operation and the silence', async () => {
    const held: Socket[] = [];
    const silent = createServer((socket) => held.push(socket)); // reads the request, answers nothing
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    try {
      const hung = new S3ObjectStore({
        endpoint: `http://127.0.0.1:${port}`,
        bucket: 'seco-silent',
        accessKey: 'a',
        secretKey: 's',
        retries: 2,
        idleMs: 200,
      });
      await expect(hung.get('k')).rejects.toThrow(
        `S3 bucket seco-silent: ETIMEDOUT: no byte from 127.0.0.1:${port} for 200 ms`,
      );
      expect(held.length).toBe(2); // tried again once, on a new connection
    } finally {
      for (const socket of held) socket.destroy();
      silent.close();
    }
  });

  it('keeps working when a kept-alive connection is closed for its silence between requests', async () => {
    const s = store(s3.bucket, true, 200);
    const big = Buffer.alloc(4 * 1024 * 1024, 7);
    await s.put('idle/big', big);
    await new Promise((r) => setTimeout(r, 500)); // the pooled socket goes quiet, and is closed
    expect((await s.get('idle/big'))?.equals(big)).toBe(true);
  });
});
