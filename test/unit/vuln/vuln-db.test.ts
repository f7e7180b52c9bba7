import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { importOsv, readVulnDbMeta, VulnIndex } from '../../../core/vuln/vuln-db.js';

const fixtures = 'test/fixtures/vuln/osv';
const dirs: string[] = [];
const tempDb = () => {
  const dir = mkdtempSync(join(tmpdir(), 'seco-vulndb-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('importOsv', () => {
  it('imports a directory of OSV files, reporting the malformed ones by file and going on', async () => {
    const db = tempDb();
    const result = await importOsv(`${fixtures}/dir`, db, new Date('2026-11-24T00:00:00Z'));
    expect(result.imported).toBe(4);
    expect(result.withdrawn).toBe(1);
    expect(result.problems).toEqual([
      {
        source: `${fixtures}/dir/npm/BROKEN-1.json`,
        message: expect.stringMatching(/^not an OSV record: affected/),
      },
      { source: `${fixtures}/dir/npm/garbage.json`, message: 'not valid JSON' },
    ]);
    expect(result.meta?.ecosystems).toEqual({ Debian: 2, PyPI: 1, npm: 1 });
    expect(result.meta?.newestModified).toBe('2026-06-01T00:00:00Z');
    expect(await readVulnDbMeta(db)).toEqual(result.meta);
  });

  it('reads an osv.dev all.zip export, the newest revision of an id winning, and merges into an existing DB', async () => {
    const db = tempDb();
    await importOsv(`${fixtures}/dir`, db);
    const result = await importOsv(`${fixtures}/all.zip`, db);
    expect(result.imported).toBe(3);
    expect(result.meta?.sources).toHaveLength(2);
    const index = await VulnIndex.load(db, ['npm']);
    expect(index.recordsFor('npm', 'lodash').map((r) => r.summary)).toEqual([
      'Prototype pollution in lodash (revised)',
    ]);
  });

  it('refuses a zip entry that expands past the record limit, and keeps the others', async () => {
    const db = tempDb();
    const result = await importOsv(`${fixtures}/bomb.zip`, db);
    expect(result.problems).toEqual([
      { source: `${fixtures}/bomb.zip:BOMB.json`, message: expect.stringMatching(/^refused/) },
    ]);
    expect(result.imported).toBe(1);
  });

  it('writes no database when nothing was imported: a non-zip .zip is named, an empty directory is a warning', async () => {
    const work = tempDb();
    const db = join(work, 'db');
    writeFileSync(join(work, 'all.zip'), '<html>503 Service Unavailable</html>');
    const fake = await importOsv(join(work, 'all.zip'), db);
    expect(fake.imported).toBe(0);
    expect(fake.problems).toEqual([
      { source: join(work, 'all.zip'), message: expect.stringMatching(/^not a zip archive/) },
    ]);
    mkdirSync(join(work, 'empty'));
    const empty = await importOsv(join(work, 'empty'), db);
    expect(empty.problems).toEqual([
      {
        source: join(work, 'empty'),
        message: 'no OSV JSON files (*.json) in this directory',
        kind: 'warning',
      },
    ]);
    expect(empty.meta).toBeUndefined();
    expect(existsSync(db)).toBe(false);
    expect(await readVulnDbMeta(db)).toBeUndefined();
  });

  it('leaves an existing database and its age untouched when an import brings nothing', async () => {
    const db = tempDb();
    await importOsv(`${fixtures}/dir`, db, new Date('2026-11-24T00:00:00Z'));
    const before = await readVulnDbMeta(db);
    const work = tempDb();
    const result = await importOsv(work, db, new Date('2026-12-06T00:00:00Z'));
    expect(result.imported).toBe(0);
    expect(await readVulnDbMeta(db)).toEqual(before);
    expect(before?.updatedAt).toBe('2026-11-24T00:00:00.000Z');
  });

  it('writes one NDJSON file per ecosystem', async () => {
    const db = tempDb();
    await importOsv(`${fixtures}/dir`, db);
    const lines = readFileSync(join(db, 'Debian.ndjson'), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).id).sort()).toEqual(['DLA-9999-1', 'DSA-5678-1']);
  });
});

describe('VulnIndex', () => {
  it('finds records by ecosystem and package, normalising PyPI names and leaving withdrawn records out', async () => {
    const db = tempDb();
    await importOsv(`${fixtures}/dir`, db);
    const index = await VulnIndex.load(db, ['Debian', 'PyPI', 'npm']);
    expect(index.recordsFor('Debian', 'openssl').map((r) => r.id)).toEqual(['DSA-5678-1']);
    expect(index.recordsFor('Debian', 'zlib')).toEqual([]);
    expect(index.recordsFor('PyPI', 'django-rest-framework').map((r) => r.id)).toEqual(['PYSEC-2026-1']);
    expect(index.recordsFor('npm', 'Lodash')).toEqual([]);
  });

  it('loads only the ecosystems asked for', async () => {
    const db = tempDb();
    await importOsv(`${fixtures}/dir`, db);
    const index = await VulnIndex.load(db, ['npm']);
    expect(index.recordsFor('Debian', 'openssl')).toEqual([]);
    expect(index.packageCount).toBe(1);
  });
});
