import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { cycloneDx } from '../../../core/image/sbom.js';
import { scanImageCached } from '../../../core/image/sbom-cache.js';
import { scanImage } from '../../../core/image/scan-image.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { VulnIndex } from '../../../core/vuln/vuln-db.js';
import type { TarEntry } from './layers/tar-layer.js';
import { singleLayerImage } from './single-layer-image.js';

const now = new Date('2026-12-06T00:00:00Z');
const json = (value: unknown) => JSON.stringify(value);

/** OSV records shaped like the real GHSA ones: affected ranges with SEMVER events. */
function advisory(id: string, name: string, introduced: string, fixed: string) {
  return {
    id,
    modified: '2026-01-01T00:00:00Z',
    summary: `${id} in ${name}`,
    affected: [
      {
        package: { ecosystem: 'npm', name },
        ranges: [{ type: 'SEMVER', events: [{ introduced }, { fixed }] }],
      },
    ],
  };
}

// The layout npm writes for @isaacs/cliui's `"string-width-cjs": "npm:string-width@^4.2.0"` and for
// jest's `"@jest/react-is-18": "npm:react-is@18.3.1"` style aliases.
const APP: TarEntry[] = [
  {
    name: 'app/package.json',
    content: json({
      name: 'shop-web',
      version: '2.1.0',
      dependencies: { '@isaacs/cliui': '^8.0.2', 'react-is-18': 'npm:react-is@18.3.1' },
    }),
  },
  { name: 'app/package-lock.json', content: json({ lockfileVersion: 3, packages: {} }) },
  {
    name: 'app/node_modules/@isaacs/cliui/package.json',
    content: json({
      name: '@isaacs/cliui',
      version: '8.0.2',
      dependencies: { 'string-width': '^5.1.2', 'string-width-cjs': 'npm:string-width@^4.2.0' },
    }),
  },
  {
    name: 'app/node_modules/string-width/package.json',
    content: json({ name: 'string-width', version: '5.1.2' }),
  },
  {
    name: 'app/node_modules/string-width-cjs/package.json',
    content: json({ name: 'string-width', version: '4.2.3' }),
  },
  {
    name: 'app/node_modules/react-is-18/package.json',
    content: json({ name: 'react-is', version: '18.3.1' }),
  },
  {
    name: 'app/node_modules/@jest/react-is-18/package.json',
    content: json({ name: 'react-is', version: '18.2.0' }),
  },
  // Not applications: an example folder of the project and Debian's packaged modules, with no install beside them.
  { name: 'app/examples/demo/package.json', content: json({ name: 'demo', version: '0.0.1' }) },
  { name: 'usr/share/nodejs/semver/package.json', content: json({ name: 'semver', version: '7.3.8' }) },
  // A file inside a package that is not its manifest, and a broken alias manifest: no packages.
  { name: 'app/node_modules/string-width/lib/package.json', content: json({ name: 'x', version: '1.0.0' }) },
  { name: 'app/node_modules/broken/package.json', content: '{"name": "broken", "version": ' },
];

describe('npm aliases and applications in an image', () => {
  it('inventories an aliased folder as the real package it holds, recording the alias', async () => {
    const { packages } = await scanImage(await singleLayerImage(APP), undefined, now);
    const npm = packages.filter((p) => p.ecosystem === 'npm' && p.role !== 'application');
    expect(npm.map((p) => [p.name, p.version, p.alias ?? null]).sort()).toEqual([
      ['@isaacs/cliui', '8.0.2', null],
      ['react-is', '18.2.0', '@jest/react-is-18'],
      ['react-is', '18.3.1', 'react-is-18'],
      ['string-width', '4.2.3', 'string-width-cjs'],
      ['string-width', '5.1.2', null],
    ]);
  });

  it('matches advisories against the aliased package under its real name', async () => {
    const index = new VulnIndex();
    index.add(advisory('GHSA-test-sw4', 'string-width', '4.0.0', '4.2.4') as never);
    index.add(advisory('GHSA-test-ri18', 'react-is', '18.0.0', '18.3.0') as never);
    const { findings } = await scanImage(await singleLayerImage(APP), index, now);
    const vulns = findings.filter((f) => f.ruleId.startsWith('GHSA-'));
    expect(vulns.map((f) => [f.ruleId, f.package?.version]).sort()).toEqual([
      ['GHSA-test-ri18', '18.2.0'],
      ['GHSA-test-sw4', '4.2.3'],
    ]);
    expect(vulns.find((f) => f.ruleId === 'GHSA-test-sw4')?.evidence).toContain(
      'installed as string-width-cjs',
    );
  });

  it('lists the application with an install beside it, never matched, and not example folders', async () => {
    const index = new VulnIndex();
    index.add(advisory('GHSA-test-app', 'shop-web', '0.0.0', '9.0.0') as never);
    const { packages, findings } = await scanImage(await singleLayerImage(APP), index, now);
    const apps = packages.filter((p) => p.role === 'application');
    expect(apps.map((p) => `${p.name}@${p.version} ${p.path}`)).toEqual(['shop-web@2.1.0 app/package.json']);
    expect(packages.some((p) => p.name === 'demo' || p.name === 'semver')).toBe(false);
    expect(findings.some((f) => f.ruleId === 'GHSA-test-app')).toBe(false);
  });

  it('writes applications and the resolved dependency graph into the CycloneDX SBOM', async () => {
    const image = await singleLayerImage(APP);
    const { packages } = await scanImage(image, undefined, now);
    const bom = cycloneDx(image, packages, '0.1.0', now);
    const app = bom.components.find((c) => c.name === 'shop-web');
    expect(app?.type).toBe('application');
    const cjs = bom.components.find((c) => c.purl === 'pkg:npm/string-width@4.2.3');
    expect(cjs?.properties).toContainEqual({ name: 'seco:npm-alias', value: 'string-width-cjs' });
    const deps = Object.fromEntries(bom.dependencies.map((d) => [d.ref, d.dependsOn]));
    expect(deps[image.digest]).toEqual(['pkg:npm/shop-web@2.1.0']);
    expect(deps['pkg:npm/shop-web@2.1.0']).toEqual([
      'pkg:npm/%40isaacs/cliui@8.0.2',
      'pkg:npm/react-is@18.3.1',
    ]);
    expect(deps['pkg:npm/%40isaacs/cliui@8.0.2']).toEqual([
      'pkg:npm/string-width@4.2.3',
      'pkg:npm/string-width@5.1.2',
    ]);
    // Every ref in the graph is a component or the image itself (CycloneDX: dependsOn must resolve).
    const refs = new Set([image.digest, ...bom.components.map((c) => c['bom-ref'])]);
    for (const d of bom.dependencies) for (const r of [d.ref, ...d.dependsOn]) expect(refs.has(r)).toBe(true);
  });

  it('resolves a nested copy before the hoisted one, as Node does', async () => {
    const image = await singleLayerImage([
      {
        name: 'srv/package.json',
        content: json({ name: 'api', version: '1.0.0', dependencies: { a: '1', b: '1' } }),
      },
      {
        name: 'srv/node_modules/a/package.json',
        content: json({ name: 'a', version: '1.0.0', dependencies: { b: '2' } }),
      },
      {
        name: 'srv/node_modules/a/node_modules/b/package.json',
        content: json({ name: 'b', version: '2.0.0' }),
      },
      { name: 'srv/node_modules/b/package.json', content: json({ name: 'b', version: '1.0.0' }) },
    ]);
    const { packages } = await scanImage(image, undefined, now);
    const deps = Object.fromEntries(
      cycloneDx(image, packages, '0.1.0', now).dependencies.map((d) => [d.ref, d.dependsOn]),
    );
    expect(deps['pkg:npm/a@1.0.0']).toEqual(['pkg:npm/b@2.0.0']);
    expect(deps['pkg:npm/api@1.0.0']).toEqual(['pkg:npm/a@1.0.0', 'pkg:npm/b@1.0.0']);
  });

  it('keeps aliases and applications through the stored SBOM, so a cached scan finds the same', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seco-npm-alias-'));
    try {
      const image = await singleLayerImage(APP);
      const source = {
        reference: image.reference,
        imageDigest: async () => image.digest,
        resolve: async () => image,
      };
      const index = new VulnIndex();
      index.add(advisory('GHSA-test-sw4', 'string-width', '4.0.0', '4.2.4') as never);
      index.add(advisory('GHSA-test-app', 'shop-web', '0.0.0', '9.0.0') as never);
      const options = { store: new FsObjectStore(dir), vulnIndex: index, toolVersion: '0.1.0', now };
      const platform = { os: 'linux', architecture: 'amd64' };
      const fresh = await scanImageCached(source, platform, options);
      const cached = await scanImageCached(source, platform, options);
      expect(cached.cached).toBe(true);
      expect(cached.findings.map((f) => f.id).sort()).toEqual(fresh.findings.map((f) => f.id).sort());
      expect(cached.findings.some((f) => f.ruleId === 'GHSA-test-app')).toBe(false);
      expect(cached.packages.find((p) => p.version === '4.2.3')?.alias).toBe('string-width-cjs');
      expect(cached.packages.find((p) => p.name === 'shop-web')?.role).toBe('application');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
