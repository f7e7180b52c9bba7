import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ndbHeaderBlobs, rpmNdbAnalyzer } from '../../../core/image/analyzers/rpm-ndb.js';
import { type BuiltRpmDb, buildRpmDb } from '../../harness/image/build-rpmdb.js';
import { headersOf, writeNdbPackages } from '../../harness/image/rpmdb-formats.js';

let built: BuiltRpmDb;
let db: Buffer;
beforeAll(async () => {
  built = buildRpmDb([
    { name: 'libopenssl1_1', version: '1.1.1l', release: '150400.7.60.2', epoch: 0 },
    { name: 'bash', version: '4.4', release: '150400.27.3.2' },
    { name: 'timezone', version: '2024a', release: '150000.75.28.1', epoch: 2 },
  ]);
  // Real rpm headers (rpmbuild + rpm --justdb), framed as rpm's ndb backend frames them.
  const headers = await headersOf(join(built.dbPath, 'rpmdb.sqlite'));
  db = readFileSync(writeNdbPackages(headers, join(built.dbPath, 'Packages.db')));
}, 120_000);
afterAll(() => built?.remove());

const read = (content: Buffer) => () => ndbHeaderBlobs(content, 'usr/lib/sysimage/rpm/Packages.db');

describe('rpm ndb Packages.db (SUSE)', () => {
  it('lists what rpm -qa lists for the same headers', async () => {
    expect(rpmNdbAnalyzer.wants('usr/lib/sysimage/rpm/Packages.db', 0)).toBe(true);
    const packages = await rpmNdbAnalyzer.analyze(
      { path: 'usr/lib/sysimage/rpm/Packages.db', content: db },
      { os: { id: 'sles', versionId: '15.4' } },
    );
    expect(
      packages.map((p) => `${p.name} ${p.version.includes(':') ? p.version : `0:${p.version}`}`).sort(),
    ).toEqual(built.truth);
    expect(packages.find((p) => p.name === 'timezone')?.version).toBe('2:2024a-150000.75.28.1');
  });

  it('refuses a file that is not ndb, or whose slot pages are cut off', () => {
    expect(read(Buffer.from('SQLite format 3\0'.padEnd(64, '\0')))).toThrow(
      /^usr\/lib\/sysimage\/rpm\/Packages.db at byte 0: not an rpm ndb database/,
    );
    expect(read(db.subarray(0, 2048))).toThrow(/at byte 12: 1 slot pages do not fit the file/);
  });

  it('refuses slots that point outside the blob area and blobs whose frame disagrees', () => {
    const outside = Buffer.from(db);
    outside.writeUInt32LE(0xffffff, 32 + 8);
    expect(read(outside)).toThrow(/at byte 32: slot of package \d+ points outside the blob area/);
    const badHead = Buffer.from(db);
    badHead.writeUInt32LE(4096 / 16 + 99999, 32 + 8);
    expect(read(badHead)).toThrow(/points outside/);
    const wrongLength = Buffer.from(db);
    wrongLength.writeUInt32LE(0x7fffffff, 4096 + 12);
    expect(read(wrongLength)).toThrow(/at byte 4108: blob of package \d+ claims 2147483647 bytes/);
    const badTail = Buffer.from(db);
    const firstBlobBlocks = badTail.readUInt32LE(32 + 12);
    badTail.writeUInt32LE(0, 4096 + firstBlobBlocks * 16 - 4);
    expect(read(badTail)).toThrow(/blob of package \d+ has a bad tail/);
  });
});
