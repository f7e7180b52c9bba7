import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FsObjectStore } from '../../../core/store/fs-object-store.js';
import type { ObjectStore } from '../../../core/store/object-store.js';
import { S3ObjectStore } from '../../../core/store/s3-object-store.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';

let s3: RunningS3;
beforeAll(async () => {
  s3 = await startS3('seco');
}, 30_000);
afterAll(async () => s3?.stop());

const collect = async (keys: AsyncIterable<string>) => {
  const all: string[] = [];
  for await (const k of keys) all.push(k);
  return all;
};

// One contract, two implementations: the real S3 API (s3rver through the minio client) and the filesystem.
const stores: Array<[string, () => ObjectStore]> = [
  [
    'S3 (s3rver + minio client)',
    () =>
      new S3ObjectStore({
        endpoint: s3.endpoint,
        bucket: 'seco',
        accessKey: s3.accessKey,
        secretKey: s3.secretKey,
      }),
  ],
  ['filesystem', () => new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-fs-store-')))],
];

describe.each(stores)('ObjectStore contract: %s', (_name, make) => {
  it('round-trips a 10 MB object, and a stream', async () => {
    const store = make();
    const big = Buffer.alloc(10 * 1024 * 1024, 7);
    await store.put('scans/s1/report.json', big, { contentType: 'application/json' });
    expect((await store.get('scans/s1/report.json'))?.equals(big)).toBe(true);
    expect(await store.stat('scans/s1/report.json')).toMatchObject({ size: big.length });
    await store.put('scans/s1/jobs/j1.ndjson.gz', Readable.from([Buffer.from('a'), Buffer.from('b')]));
    expect((await store.get('scans/s1/jobs/j1.ndjson.gz'))?.toString()).toBe('ab');
  }, 30_000);

  it('overwrites by key (idempotent writes) and deletes', async () => {
    const store = make();
    await store.put('sbom/sha256-x.cdx.json', 'one');
    await store.put('sbom/sha256-x.cdx.json', 'two');
    expect((await store.get('sbom/sha256-x.cdx.json'))?.toString()).toBe('two');
    await store.delete('sbom/sha256-x.cdx.json');
    expect(await store.get('sbom/sha256-x.cdx.json')).toBeUndefined();
    expect(await store.stat('sbom/sha256-x.cdx.json')).toBeUndefined();
    expect(await store.getStream('sbom/sha256-x.cdx.json')).toBeUndefined();
  });

  it('lists keys under a prefix in order, past one page of results', async () => {
    const store = make();
    const keys = Array.from({ length: 1100 }, (_, i) => `list/k${String(i).padStart(4, '0')}`);
    for (let i = 0; i < keys.length; i += 50)
      await Promise.all(keys.slice(i, i + 50).map((k) => store.put(k, 'x')));
    await store.put('other/k', 'x');
    expect(await collect(store.list('list/'))).toEqual(keys);
  }, 60_000);

  it('refuses hostile keys, naming them', async () => {
    const store = make();
    for (const key of ['../etc/passwd', '/abs', 'a/../../b', 'a//b', 'bad\nkey', '']) {
      await expect(store.put(key, 'x')).rejects.toThrow(`invalid object key ${JSON.stringify(key)}`);
    }
  });
});

describe('FsObjectStore', () => {
  it('leaves no temp files behind', async () => {
    const root = mkdtempSync(join(tmpdir(), 'seco-fs-store-'));
    const store = new FsObjectStore(root);
    await store.put('a/b.json', '{}');
    expect(readdirSync(join(root, 'a'))).toEqual(['b.json']);
  });
});
