import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { scanImage } from '../../../core/image/scan-image.js';
import { resolveLocalImage } from '../../../core/image/source/resolve-image.js';
import { importOsv, VulnIndex } from '../../../core/vuln/vuln-db.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';

let built: BuiltImage;
beforeAll(() => {
  built = buildTestImage();
}, 60_000);
afterAll(() => built?.remove());

const now = new Date('2026-11-24T00:00:00Z');

describe('image scanning of a real umoci-built image', () => {
  it('inventories exactly the installed dpkg packages dpkg-query lists', async () => {
    const result = await scanImage(
      await resolveLocalImage(`oci-layout:${built.layout}:test`),
      undefined,
      now,
    );
    const truth = execFileSync(
      'dpkg-query',
      // dpkg-query's own format syntax, not a JavaScript template.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: dpkg-query --showformat fields
      [`--admindir=${built.dpkgAdminDir}`, '-W', '-f', '${db:Status-Abbrev}|${Package}|${Version}\n'],
      { encoding: 'utf8' },
    )
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('ii'))
      .map((line) => line.split('|').slice(1).join(' '))
      .sort();
    const dpkg = result.packages
      .filter((p) => p.ecosystem === 'Debian:12')
      .map((p) => `${p.name} ${p.version}`)
      .sort();
    expect(dpkg.length).toBeGreaterThan(50);
    expect(dpkg).toEqual(truth);
    expect(result.os).toMatchObject({ id: 'debian', versionId: '12' });
  });

  it('honours the whiteout of a later layer and finds language packages', async () => {
    const result = await scanImage(
      await resolveLocalImage(`oci-layout:${built.layout}:test`),
      undefined,
      now,
    );
    const others = result.packages
      .filter((p) => !p.ecosystem.startsWith('Debian'))
      .map((p) => `${p.ecosystem} ${p.name}@${p.version}`)
      .sort();
    expect(others.filter((p) => !p.startsWith('Go stdlib@'))).toEqual([
      'Maven com.example:app@1.0.0',
      'Maven org.apache.logging.log4j:log4j-core@2.14.1',
      'PyPI requests@2.25.0',
      'RubyGems rack@2.2.3',
      'npm @scope/tool@1.2.3',
      'npm lodash@4.17.20',
    ]);
    expect(others.filter((p) => p.startsWith('Go stdlib@'))).toEqual([
      expect.stringMatching(/^Go stdlib@1\.\d+/),
    ]);
    expect(result.problems).toEqual([]);
  });

  it('reads the same image from an OCI archive and a docker-archive', async () => {
    const names = async (ref: string) =>
      (await scanImage(await resolveLocalImage(ref), undefined, now)).packages
        .map((p) => `${p.name}@${p.version}`)
        .sort();
    const fromLayout = await names(`oci-layout:${built.layout}:test`);
    expect(await names(`oci-archive:${built.ociArchive}:test`)).toEqual(fromLayout);
    expect(await names(`docker-archive:${built.dockerArchive}`)).toEqual(fromLayout);
  });

  it('matches packages against OSV advisories, with the fixed version, and flags a root image', async () => {
    const image = await resolveLocalImage(`oci-layout:${built.layout}:test`);
    const first = (await scanImage(image, undefined, now)).packages.find((p) => p.ecosystem === 'Debian:12')!;
    const advisories = mkdtempSync(join(tmpdir(), 'seco-osv-'));
    const source = first.advisoryName ?? first.name;
    writeFileSync(
      join(advisories, 'DSA-9-1.json'),
      JSON.stringify({
        id: 'DSA-9-1',
        aliases: ['CVE-2026-9999'],
        summary: `${source} - security update`,
        affected: [
          {
            package: { ecosystem: 'Debian:12', name: source },
            ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '99:1.0-1' }] }],
          },
        ],
        severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
      }),
    );
    copyFileSync(
      'test/fixtures/vuln/osv/lodash/GHSA-35jh-r3h4-6jhm.json',
      join(advisories, 'GHSA-35jh-r3h4-6jhm.json'),
    );
    const db = mkdtempSync(join(tmpdir(), 'seco-db-'));
    await importOsv(advisories, db);
    const index = await VulnIndex.load(db, ['Debian', 'npm']);
    const result = await scanImage(image, index, now);
    const byRule = (id: string) => result.findings.filter((f) => f.ruleId === id);
    expect(byRule('GHSA-35jh-r3h4-6jhm')).toEqual([
      expect.objectContaining({
        severity: 'high',
        package: { name: 'lodash', version: '4.17.20', fixedVersion: '4.17.21' },
      }),
    ]);
    expect(byRule('DSA-9-1').length).toBeGreaterThanOrEqual(1);
    expect(byRule('DSA-9-1')[0]).toMatchObject({
      severity: 'critical',
      cvss: { score: 9.8 },
      references: expect.arrayContaining([expect.objectContaining({ kind: 'cve', id: 'CVE-2026-9999' })]),
    });
    expect(byRule('image-user-root')).toHaveLength(1);
    const secret = byRule('image-secret');
    expect(secret).toHaveLength(1);
    expect(secret[0]!.resource.file).toBe('/srv/.env');
    expect(JSON.stringify(secret)).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(JSON.stringify(secret)).not.toContain('hunter22');
    expect(result.image.image).toMatch(/@sha256:[0-9a-f]{64}$/);
  });
});
