import { Readable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { InvalidObjectKeyError, type ObjectStore } from '../../../core/store/object-store.js';

const collect = async (keys: AsyncIterable<string>) => {
  const all: string[] = [];
  for await (const k of keys) all.push(k);
  return all;
};

/** Keys a hostile scan id, node name or digest could produce; every store must refuse them all. */
export const HOSTILE_KEYS = [
  '../etc/passwd',
  '/abs/key',
  'a/../../b',
  'a/./b',
  'a//b',
  'trailing/',
  'bad\nkey',
  'nul\u0000key',
  'del\u007fkey',
  'back\\slash',
  '',
  'x'.repeat(1025),
];

/**
 * The one ObjectStore contract, run against every implementation so they provably behave alike. `make`
 * gives an empty store each time.
 */
export function objectStoreContract(name: string, make: () => ObjectStore): void {
  describe(`ObjectStore contract: ${name}`, () => {
    it.concurrent('round-trips a 10 MB object as bytes and as a stream, with its size', async () => {
      const store = make();
      const big = Buffer.alloc(10 * 1024 * 1024);
      for (let i = 0; i < big.length; i += 4096) big.writeUInt32BE(i, i); // not all one byte
      await store.put('scans/s1/report.json', big, { contentType: 'application/json' });
      expect((await store.get('scans/s1/report.json'))?.equals(big)).toBe(true);
      const info = await store.stat('scans/s1/report.json');
      expect(info?.size).toBe(big.length);
      expect(Math.abs(Date.now() - info!.modified.getTime())).toBeLessThan(10 * 60_000);
      const chunks: Buffer[] = [];
      for await (const chunk of (await store.getStream('scans/s1/report.json'))!)
        chunks.push(chunk as Buffer);
      expect(Buffer.concat(chunks).equals(big)).toBe(true);
      await store.put(
        'scans/s1/big-stream',
        Readable.from(
          (function* () {
            for (let i = 0; i < 10; i++) yield big.subarray(i * 1024 * 1024, (i + 1) * 1024 * 1024);
          })(),
        ),
      );
      expect((await store.get('scans/s1/big-stream'))?.equals(big)).toBe(true);
    }, 30_000);

    it.concurrent('writes a stream, a string and bytes', async () => {
      const store = make();
      await store.put('scans/s1/jobs/j1.ndjson.gz', Readable.from([Buffer.from('a'), Buffer.from('b')]));
      await store.put('text.txt', 'héllo');
      await store.put('bytes.bin', new Uint8Array([0, 255, 1]));
      expect((await store.get('scans/s1/jobs/j1.ndjson.gz'))?.toString()).toBe('ab');
      expect((await store.get('text.txt'))?.toString('utf8')).toBe('héllo');
      expect([...(await store.get('bytes.bin'))!]).toEqual([0, 255, 1]);
    });

    it.concurrent('overwrites by key (idempotent writes), and deletes, twice without error', async () => {
      const store = make();
      const key = 'sbom/sha256:0123abcd.cdx.json';
      await store.put(key, 'one');
      await store.put(key, 'two');
      await store.put(key, 'two');
      expect((await store.get(key))?.toString()).toBe('two');
      expect(await collect(store.list('sbom/'))).toEqual([key]);
      await store.delete(key);
      await store.delete(key);
      expect(await store.get(key)).toBeUndefined();
      expect(await store.stat(key)).toBeUndefined();
      expect(await store.getStream(key)).toBeUndefined();
      expect(await collect(store.list('sbom/'))).toEqual([]);
    });

    it.concurrent('says undefined for keys never written', async () => {
      const store = make();
      expect(await store.get('scans/none/report.json')).toBeUndefined();
      expect(await store.stat('scans/none/report.json')).toBeUndefined();
      expect(await store.getStream('scans/none/report.json')).toBeUndefined();
    });

    it.concurrent('lists keys under a prefix in byte order, past one page of results', async () => {
      const store = make();
      const keys = Array.from({ length: 1050 }, (_, i) => `list/k${String(i).padStart(4, '0')}`);
      for (let i = 0; i < keys.length; i += 100)
        await Promise.all(keys.slice(i, i + 100).map((k) => store.put(k, 'x')));
      await store.put('other/k', 'x');
      await store.put('lis', 'x');
      expect(await collect(store.list('list/'))).toEqual(keys);
      expect(await collect(store.list('list/k104'))).toEqual(keys.slice(1040));
    }, 60_000);

    it.concurrent('refuses hostile keys with an error naming the key, and writes nothing', async () => {
      const store = make();
      for (const key of HOSTILE_KEYS) {
        await expect(store.put(key, 'x')).rejects.toThrow(InvalidObjectKeyError);
        await expect(store.put(key, 'x')).rejects.toThrow(`invalid object key ${JSON.stringify(key)}`);
        await expect(store.get(key)).rejects.toThrow(InvalidObjectKeyError);
        await expect(store.delete(key)).rejects.toThrow(InvalidObjectKeyError);
      }
      await expect(collect(store.list('../'))).rejects.toThrow(InvalidObjectKeyError);
      expect(await collect(store.list(''))).toEqual([]);
    });
  });
}
