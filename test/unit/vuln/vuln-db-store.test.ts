import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import type { ObjectStore } from '../../../core/store/object-store.js';
import { importOsv, VulnIndex } from '../../../core/vuln/vuln-db.js';
import {
  fetchVulnDb,
  publishVulnDb,
  readVulnDbManifest,
  VULNDB_MANIFEST_KEY,
} from '../../../core/vuln/vuln-db-store.js';

const now = new Date('2026-11-24T00:00:00Z');
let root: string;
const temp = (name: string) => mkdtempSync(join(root, `${name}-`));

/** The filesystem store, counting reads, as an agent's traffic to the bucket. */
function countingStore(dir: string): ObjectStore & { reads: string[] } {
  const inner = new FsObjectStore(dir);
  const reads: string[] = [];
  return {
    reads,
    put: (k, b) => inner.put(k, b),
    get: (k) => {
      reads.push(k);
      return inner.get(k);
    },
    getStream: (k) => {
      reads.push(k);
      return inner.getStream(k);
    },
    stat: (k) => inner.stat(k),
    list: (p) => inner.list(p),
    delete: (k) => inner.delete(k),
  };
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'seco-vulndb-store-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('vuln DB in the object store', () => {
  it('publishes a manifest and content-addressed shards, and an agent loads the same advisories', async () => {
    const db = temp('db');
    await importOsv('test/fixtures/vuln/osv/lodash', db, now);
    await importOsv('test/fixtures/vuln/osv/dir/debian', db, now);
    const store = countingStore(temp('store'));
    const manifest = await publishVulnDb(db, store, now);
    expect(Object.keys(manifest.shards).sort()).toEqual(['Debian', 'npm']);
    const keys: string[] = [];
    for await (const key of store.list('vulndb/')) keys.push(key);
    expect(keys).toEqual(
      [
        ...Object.values(manifest.shards)
          .map((s) => `vulndb/shards/sha256/${s.sha256}.ndjson.gz`)
          .sort(),
        VULNDB_MANIFEST_KEY,
      ].sort(),
    );

    const cache = temp('cache');
    const fetched = await fetchVulnDb(store, cache);
    expect(fetched).toMatchObject({ revision: manifest.revision, fetched: true, downloaded: 2 });
    const index = await VulnIndex.load(fetched!.dir, ['npm', 'Debian']);
    expect(index.recordsFor('npm', 'lodash').map((r) => r.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(index.recordsFor('Debian', 'openssl').map((r) => r.id)).toContain('DSA-5678-1');
  });

  it('reads only the manifest when the cached revision is current', async () => {
    const db = temp('db');
    await importOsv('test/fixtures/vuln/osv/lodash', db, now);
    const store = countingStore(temp('store'));
    await publishVulnDb(db, store, now);
    const cache = temp('cache');
    await fetchVulnDb(store, cache);
    store.reads.length = 0;
    expect(await fetchVulnDb(store, cache)).toMatchObject({ fetched: false, downloaded: 0 });
    expect(store.reads).toEqual([VULNDB_MANIFEST_KEY]);
  });

  it('gives the same revision for the same advisories, and fetches only the changed shard of a new one', async () => {
    const db = temp('db');
    await importOsv('test/fixtures/vuln/osv/lodash', db, now);
    await importOsv('test/fixtures/vuln/osv/dir/debian/DSA-5678-1.json', db, now);
    const store = countingStore(temp('store'));
    const first = await publishVulnDb(db, store, now);
    expect((await publishVulnDb(db, store, new Date('2026-11-25T00:00:00Z'))).revision).toBe(first.revision);
    const cache = temp('cache');
    await fetchVulnDb(store, cache);

    await importOsv('test/fixtures/vuln/osv/dir/debian/DLA-9999-1.json', db, now);
    const second = await publishVulnDb(db, store, now);
    expect(second.revision).not.toBe(first.revision);
    expect(second.shards.npm).toEqual(first.shards.npm);
    const fetched = await fetchVulnDb(store, cache);
    expect(fetched).toMatchObject({ revision: second.revision, fetched: true, downloaded: 1 });
    expect(readdirSync(cache)).toEqual([second.revision]);
  });

  it('says there is no DB when nothing was published', async () => {
    expect(await fetchVulnDb(countingStore(temp('store')), temp('cache'))).toBeUndefined();
  });

  describe('refuses a hostile store, naming the object, and leaves no revision behind', () => {
    const published = async () => {
      const db = temp('db');
      await importOsv('test/fixtures/vuln/osv/lodash', db, now);
      const store = countingStore(temp('store'));
      return { store, manifest: await publishVulnDb(db, store, now) };
    };

    it('a manifest that is not JSON or not a manifest', async () => {
      const store = countingStore(temp('store'));
      await store.put(VULNDB_MANIFEST_KEY, '{"schema":');
      await expect(readVulnDbManifest(store)).rejects.toThrow(
        /vulndb\/manifest.json is not a seco vuln DB manifest/,
      );
      await store.put(VULNDB_MANIFEST_KEY, JSON.stringify({ schema: 'seco.vulndb-manifest/v1', shards: [] }));
      await expect(readVulnDbManifest(store)).rejects.toThrow(/not a seco vuln DB manifest \(revision: /);
    });

    it('a revision that does not match its shards', async () => {
      const { store, manifest } = await published();
      await store.put(VULNDB_MANIFEST_KEY, JSON.stringify({ ...manifest, revision: 'a'.repeat(64) }));
      await expect(fetchVulnDb(store, temp('cache'))).rejects.toThrow(
        /revision a{64} does not match its shards/,
      );
    });

    it('a shard whose bytes do not hash to its name', async () => {
      const { store, manifest } = await published();
      const key = `vulndb/shards/sha256/${manifest.shards.npm!.sha256}.ndjson.gz`;
      const original = gzipSync('{"id":"X"}\n'.padEnd(manifest.shards.npm!.bytes, ' '));
      await store.put(key, original);
      const cache = temp('cache');
      await expect(fetchVulnDb(store, cache)).rejects.toThrow(new RegExp(`${key} does not match its hash`));
      expect(readdirSync(cache)).toEqual([]);
    });

    it('a shard that expands past its stated size (decompression bomb)', async () => {
      const { store, manifest } = await published();
      const key = `vulndb/shards/sha256/${manifest.shards.npm!.sha256}.ndjson.gz`;
      await store.put(key, gzipSync(Buffer.alloc(64 * 1024 * 1024)));
      await expect(fetchVulnDb(store, temp('cache'))).rejects.toThrow(new RegExp(`${key}: .*expands past`));
    });

    it('a shard the manifest names but the store lacks, or that is not gzip', async () => {
      const { store, manifest } = await published();
      const key = `vulndb/shards/sha256/${manifest.shards.npm!.sha256}.ndjson.gz`;
      await store.put(key, 'plain text');
      await expect(fetchVulnDb(store, temp('cache'))).rejects.toThrow(
        new RegExp(`${key}: incorrect header check`),
      );
      await store.delete(key);
      await expect(fetchVulnDb(store, temp('cache'))).rejects.toThrow(
        new RegExp(`${key} is missing from the store`),
      );
    });
  });
});
