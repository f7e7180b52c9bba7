import { mkdtempSync, rmSync } from 'node:fs';
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
    expect(lines).toEqual([expect.stringMatching(/no vulnerability database in the object store/)]);

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
    expect(lines.at(-1)).toMatch(/not loaded .*keeping the previous revision/);
  });
});
