import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { bdbHeaderBlobs, rpmBdbAnalyzer } from '../../../core/image/analyzers/rpm-bdb.js';
import { type BuiltRpmDb, buildRpmDb } from '../../harness/image/build-rpmdb.js';
import { headersOf, rpmQueryBdb, writeBdbPackages } from '../../harness/image/rpmdb-formats.js';

let built: BuiltRpmDb;
let headers: Awaited<ReturnType<typeof headersOf>>;
beforeAll(async () => {
  built = buildRpmDb([
    { name: 'openssl-libs', version: '1.0.2k', release: '26.el7_9', epoch: 1 },
    { name: 'bash', version: '4.2.46', release: '35.el7_9' },
    { name: 'glibc', version: '2.17', release: '326.el7_9' },
    { name: 'tzdata', version: '2024a', release: '1.el7' },
    { name: 'zlib', version: '1.2.7', release: '21.el7_9' },
    { name: 'curl', version: '7.29.0', release: '59.el7_9.2' },
  ]);
  headers = await headersOf(join(built.dbPath, 'rpmdb.sqlite'));
}, 120_000);
afterAll(() => built?.remove());

/** How the values are stored: H_KEYDATA (1) inline, H_OFFPAGE (3) on overflow pages. */
function itemKinds(db: Buffer): string[] {
  const pageSize = db.readUInt32LE(20);
  const kinds = new Set<string>();
  for (let start = pageSize; start < db.length; start += pageSize) {
    if (db[start + 25] !== 13 && db[start + 25] !== 2) continue;
    for (let i = 1; i < db.readUInt16LE(start + 20); i += 2)
      kinds.add(db[start + db.readUInt16LE(start + 26 + i * 2)] === 1 ? 'inline' : 'overflow');
  }
  return [...kinds];
}

const listed = (packages: Array<{ name: string; version: string }>) =>
  packages.map((p) => `${p.name} ${p.version.includes(':') ? p.version : `0:${p.version}`}`).sort();

describe('rpm BerkeleyDB Packages (RHEL/CentOS 7)', () => {
  it.each([
    ['the default 4096-byte pages (headers on overflow pages)', undefined],
    ['64 KiB pages (headers inline on the hash pages)', 65536],
    ['512-byte pages (headers on chains of overflow pages)', 512],
  ])('lists what rpm -qa lists through rpm’s own bdb_ro backend, with %s', async (_what, pageSize) => {
    const dir = join(built.dbPath, `bdb-${pageSize ?? 'default'}`);
    const file = writeBdbPackages(headers, dir, pageSize);
    const truth = rpmQueryBdb(dir);
    expect(truth).toEqual(built.truth);
    expect(rpmBdbAnalyzer.wants('var/lib/rpm/Packages', 0)).toBe(true);
    const packages = await rpmBdbAnalyzer.analyze(
      { path: 'var/lib/rpm/Packages', content: readFileSync(file) },
      { os: { id: 'centos', versionId: '7' } },
    );
    expect(listed(packages)).toEqual(truth);
    expect(itemKinds(readFileSync(file))).toEqual(pageSize === 65536 ? ['inline'] : ['overflow']);
    expect(packages.find((p) => p.name === 'openssl-libs')).toMatchObject({
      version: '1:1.0.2k-26.el7_9',
      purl: 'pkg:rpm/centos/openssl-libs@1%3A1.0.2k-26.el7_9?arch=noarch',
    });
  });

  describe('hostile databases: a clear error naming the file and offset', () => {
    const db = () => readFileSync(writeBdbPackages(headers, join(built.dbPath, 'bdb-hostile-512'), 512));
    const read = (content: Buffer) => () => bdbHeaderBlobs(content, 'var/lib/rpm/Packages');

    it('refuses what is not a BerkeleyDB hash file, or is truncated', () => {
      expect(read(Buffer.alloc(4096))).toThrow(
        /^var\/lib\/rpm\/Packages at byte 12: not a BerkeleyDB hash database/,
      );
      expect(read(Buffer.alloc(10))).toThrow(/at byte 0: 10 bytes is too short/);
      const whole = db();
      expect(read(whole.subarray(0, whole.length - 512))).toThrow(
        /at byte 32: last page \d+ lies past the end/,
      );
    });

    it('refuses an overflow chain that loops, and one that points past the file', () => {
      const bytes = db();
      const pageSize = bytes.readUInt32LE(20);
      const pages = bytes.length / pageSize;
      // Point every overflow page's next-page link at itself.
      const looped = Buffer.from(bytes);
      for (let p = 1; p < pages; p++)
        if (looped[p * pageSize + 25] === 7) looped.writeUInt32LE(p, p * pageSize + 16);
      expect(read(looped)).toThrow(/overflow chain loops back to page \d+/);
      const dangling = Buffer.from(bytes);
      for (let p = 1; p < pages; p++)
        if (dangling[p * pageSize + 25] === 7) dangling.writeUInt32LE(0x7fffffff, p * pageSize + 16);
      expect(read(dangling)).toThrow(/overflow page 2147483647 does not exist/);
    });

    it('refuses huge lengths and entry counts instead of allocating them', () => {
      const bytes = db();
      const pageSize = bytes.readUInt32LE(20);
      const pages = bytes.length / pageSize;
      const huge = Buffer.from(bytes);
      for (let p = 1; p < pages; p++) {
        const start = p * pageSize;
        if (huge[start + 25] !== 2 && huge[start + 25] !== 13) continue;
        huge.writeUInt16LE(0xffff, start + 20);
      }
      expect(read(huge)).toThrow(/claims 65535 entries, more than fit/);
    });
  });
});
