import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { rpmAnalyzer } from '../../../core/image/analyzers/rpm.js';
import { parseRpmHeader } from '../../../core/image/analyzers/rpm-header.js';
import { type BuiltRpmDb, buildRpmDb } from '../../harness/image/build-rpmdb.js';

let built: BuiltRpmDb;
beforeAll(() => {
  built = buildRpmDb([
    { name: 'openssl-libs', version: '3.0.7', release: '24.el9', epoch: 1 },
    { name: 'bash', version: '5.1.8', release: '9.el9' },
    { name: 'tzdata', version: '2024a', release: '1.el9' },
  ]);
}, 60_000);
afterAll(() => built?.remove());

describe('rpm analyzer', () => {
  it('lists exactly what rpm -qa lists from a real SQLite rpmdb, with epochs', async () => {
    const content = readFileSync(join(built.dbPath, 'rpmdb.sqlite'));
    const packages = await rpmAnalyzer.analyze(
      { path: 'var/lib/rpm/rpmdb.sqlite', content },
      { os: { id: 'rocky', versionId: '9.3' } },
    );
    const listed = packages
      .map((p) => `${p.name} ${p.version.includes(':') ? p.version : `0:${p.version}`}`)
      .sort();
    expect(listed).toEqual(built.truth);
    expect(packages.find((p) => p.name === 'openssl-libs')).toMatchObject({
      ecosystem: 'Rocky Linux:9',
      version: '1:3.0.7-24.el9',
      purl: 'pkg:rpm/rocky/openssl-libs@1%3A3.0.7-24.el9?arch=noarch',
    });
  });

  it('refuses a header whose sizes point outside the blob', () => {
    const blob = Buffer.alloc(16);
    blob.writeUInt32BE(1000, 0);
    expect(() => parseRpmHeader(blob, [1000])).toThrow(/out of bounds/);
  });
});
