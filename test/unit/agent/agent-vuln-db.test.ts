import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { AgentVulnDb } from '../../../agent/agent-vuln-db.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { importOsv } from '../../../core/vuln/vuln-db.js';
import { publishVulnDb, VULNDB_MANIFEST_KEY } from '../../../core/vuln/vuln-db-store.js';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('AgentVulnDb', () => {
  it('says once that no DB is stored, then loads a published one and keeps it while the revision stays', async () => {
    dir = mkdtempSync(join(tmpdir(), 'seco-agent-vulndb-'));
    const store = new FsObjectStore(join(dir, 'store'));
    const lines: string[] = [];
    const db = new AgentVulnDb(store, join(dir, 'cache'), (l) => lines.push(l));
    expect(await db.index()).toBeUndefined();
    expect(await db.index()).toBeUndefined();
    expect(lines).toEqual([
      expect.stringMatching(/no vulnerability database has been published to the object store/),
    ]);

    await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'local'));
    await publishVulnDb(join(dir, 'local'), store);
    const index = await db.index();
    expect(index?.recordsFor('npm', 'lodash').map((r) => r.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
    expect(await db.index()).toBe(index);
    expect(lines[1]).toMatch(/revision [0-9a-f]{12} loaded/);
  });

  it('keeps the last good index and logs, not throws, when the stored manifest is broken', async () => {
    dir = mkdtempSync(join(tmpdir(), 'seco-agent-vulndb-'));
    const store = new FsObjectStore(join(dir, 'store'));
    const lines: string[] = [];
    const db = new AgentVulnDb(store, join(dir, 'cache'), (l) => lines.push(l));
    await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'local'));
    await publishVulnDb(join(dir, 'local'), store);
    const index = await db.index();
    await store.put(VULNDB_MANIFEST_KEY, '{"not":"a manifest"}');
    expect(await db.index()).toBe(index);
    expect(lines.at(-1)).toMatch(/could not be loaded .*keeping the previous revision/);
  });

  it('says why there is no index when the cache dir is unusable, and loads it on the next call once it is', async () => {
    dir = mkdtempSync(join(tmpdir(), 'seco-agent-vulndb-'));
    const store = new FsObjectStore(join(dir, 'store'));
    await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'local'));
    await publishVulnDb(join(dir, 'local'), store);
    // A file where the cache's parent directory should be: mkdir fails (ENOTDIR), as on a full or read-only disk.
    writeFileSync(join(dir, 'blocked'), '');
    const cacheDir = join(dir, 'blocked', 'cache');
    const db = new AgentVulnDb(store, cacheDir);
    const first = await db.load();
    expect(first.index).toBeUndefined();
    expect(first.missing).toMatch(/could not be loaded .* into .*blocked\/cache: .*ENOTDIR/);
    rmSync(join(dir, 'blocked'));
    const second = await db.load();
    expect(second.missing).toBeUndefined();
    expect(second.index?.recordsFor('npm', 'lodash').map((r) => r.id)).toEqual(['GHSA-35jh-r3h4-6jhm']);
  });

  it('says that none is published, and finds one published later', async () => {
    dir = mkdtempSync(join(tmpdir(), 'seco-agent-vulndb-'));
    const store = new FsObjectStore(join(dir, 'store'));
    const db = new AgentVulnDb(store, join(dir, 'cache'));
    expect((await db.load()).missing).toMatch(/no vulnerability database has been published/);
    await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'local'));
    await publishVulnDb(join(dir, 'local'), store);
    expect((await db.load()).index).toBeDefined();
  });
});
