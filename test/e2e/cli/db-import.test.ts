import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'seco-db-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('kubectl seco db import: never a database that claims to be fresh with nothing in it', () => {
  it('a .zip that is not a zip: named as such, exit 2, and db status still finds no database', async () => {
    const db = join(work, 'db-fake-zip');
    writeFileSync(join(work, 'all.zip'), '<html>503 Service Unavailable</html>');
    const imported = await runCli(['db', 'import', join(work, 'all.zip'), '--db-dir', db]);
    expect(imported.code).toBe(2);
    expect(imported.stderr).toContain(`skipped: ${join(work, 'all.zip')}: not a zip archive`);
    expect(imported.stderr).toContain(
      `nothing imported from ${join(work, 'all.zip')}: the database in ${db} is unchanged (there is none yet)`,
    );
    const status = await runCli(['db', 'status', '--db-dir', db]);
    expect(status.code).toBe(2);
    expect(status.stderr).toContain(`no vulnerability database in ${db}`);
  });

  it('an empty directory is a warning (exit 0) and writes nothing', async () => {
    const db = join(work, 'db-empty');
    mkdirSync(join(work, 'empty'));
    const imported = await runCli(['db', 'import', join(work, 'empty'), '--db-dir', db]);
    expect(imported.code).toBe(0);
    expect(imported.stderr).toContain(
      `warning: ${join(work, 'empty')}: no OSV JSON files (*.json) in this directory`,
    );
    expect((await runCli(['db', 'status', '--db-dir', db])).code).toBe(2);
  });

  it('a path that is not there is said in words', async () => {
    const { code, stderr } = await runCli([
      'db',
      'import',
      join(work, 'nope'),
      '--db-dir',
      join(work, 'db-nope'),
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('no such file or directory (ENOENT)');
  });

  it('a real import then reports the database as before', async () => {
    const db = join(work, 'db-real');
    const imported = await runCli(['db', 'import', 'test/fixtures/vuln/osv/lodash', '--db-dir', db]);
    expect(imported.code).toBe(0);
    const status = await runCli(['db', 'status', '--db-dir', db, '-o', 'json']);
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout).ecosystems.npm).toBeGreaterThan(0);
  });
});
