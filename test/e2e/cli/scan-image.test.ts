import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Report } from '../../../core/model/index.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import { runCli } from './run-cli.js';

let built: BuiltImage;
let dbDir: string;

beforeAll(() => {
  built = buildTestImage();
  const advisories = mkdtempSync(join(tmpdir(), 'seco-cli-osv-'));
  copyFileSync(
    'test/fixtures/vuln/osv/lodash/GHSA-35jh-r3h4-6jhm.json',
    join(advisories, 'GHSA-35jh-r3h4-6jhm.json'),
  );
  writeFileSync(join(advisories, 'broken.json'), '{ nope');
  dbDir = join(mkdtempSync(join(tmpdir(), 'seco-cli-db-')), 'vulndb');
  return runCli(['db', 'import', advisories, '--db-dir', dbDir]).then((r) => {
    if (!r.stdout.includes('imported 1 advisories')) throw new Error(r.stdout + r.stderr);
  });
}, 90_000);
afterAll(() => built?.remove());

describe('kubectl-seco db', () => {
  it('status shows records per ecosystem', async () => {
    const { code, stdout } = await runCli(['db', 'status', '--db-dir', dbDir, '-o', 'json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ schema: 'seco.vulndb/v1', ecosystems: { npm: 1 } });
  });

  it('status exits 2 where there is no database', async () => {
    const { code, stderr } = await runCli(['db', 'status', '--db-dir', join(tmpdir(), 'no-such-db-dir')]);
    expect(code).toBe(2);
    expect(stderr).toContain('no vulnerability database');
  });
});

describe('kubectl-seco scan image', () => {
  it('reports vulnerable packages with their fix and fails the gate', async () => {
    const { code, stdout } = await runCli([
      'scan',
      'image',
      `oci-layout:${built.layout}:test`,
      '--vuln-db',
      dbDir,
      '-o',
      'json',
      '--fail-on',
      'high',
    ]);
    expect(code).toBe(1);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.target.kind).toBe('image');
    expect(report.findings.find((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm')).toMatchObject({
      severity: 'high',
      package: { name: 'lodash', version: '4.17.20', fixedVersion: '4.17.21' },
    });
  });

  it('prints a CycloneDX SBOM with a purl for every component', async () => {
    const { code, stdout } = await runCli([
      'scan',
      'image',
      `docker-archive:${built.dockerArchive}`,
      '-o',
      'cyclonedx',
    ]);
    expect(code).toBe(0);
    const bom = JSON.parse(stdout);
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.5' });
    expect(bom.components.length).toBeGreaterThan(50);
    expect(
      bom.components.every((c: { purl?: string }) => typeof c.purl === 'string' && c.purl.startsWith('pkg:')),
    ).toBe(true);
    expect(bom.components.map((c: { purl: string }) => c.purl)).toContain('pkg:npm/lodash@4.17.20');
  });

  it('exits 2 and says so when there is no vulnerability database: inventoried is not matched', async () => {
    const noDb = join(mkdtempSync(join(tmpdir(), 'seco-cli-nodb-')), 'vulndb');
    const { code, stdout, stderr } = await runCli([
      ...['scan', 'image', `oci-layout:${built.layout}:test`, '--vuln-db', noDb],
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain(
      `${noDb}: no vulnerability database here: packages were inventoried but not matched`,
    );
    expect(stdout).toContain('image-user-root');
  });

  it('exits 2 with the reason for an image it cannot read', async () => {
    const { code, stderr } = await runCli(['scan', 'image', 'oci-layout:/no/such/layout']);
    expect(code).toBe(2);
    expect(stderr).toContain('index.json not found');
  });
});
