import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { sbomKey, scanImageCached } from '../../../core/image/sbom-cache.js';
import { scanImage } from '../../../core/image/scan-image.js';
import type { ImageSource, ResolvedImage } from '../../../core/image/source/image-source.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { importOsv, VulnIndex } from '../../../core/vuln/vuln-db.js';
import { layerOf, tarOf } from './layers/tar-layer.js';

const now = new Date('2026-11-24T00:00:00Z');
const platform = { os: 'linux', architecture: 'amd64' };
const sha = (s: string | Buffer) => `sha256:${createHash('sha256').update(s).digest('hex')}`;

const DPKG_STATUS = `Package: libssl3
Status: install ok installed
Architecture: amd64
Source: openssl (3.0.11-1~deb12u2)
Version: 3.0.11-1~deb12u2+b1

Package: bash
Status: install ok installed
Architecture: amd64
Version: 5.2.15-2+b2
`;

/** An image source over in-memory layers that counts what it is asked for, as a registry would see it. */
class CountingSource implements ImageSource {
  readonly reference = 'registry.example/shop/app:1.0';
  resolves = 0;
  layerOpens = 0;
  constructor(
    private readonly image: Omit<ResolvedImage, 'reference'>,
    private readonly failLayers = false,
  ) {}
  async imageDigest(): Promise<string> {
    return this.image.digest;
  }
  async resolve(): Promise<ResolvedImage> {
    this.resolves++;
    return {
      ...this.image,
      reference: this.reference,
      layers: this.image.layers.map((l) => ({
        ...l,
        open: async () => {
          this.layerOpens++;
          if (this.failLayers) throw new Error('connection reset');
          return l.open();
        },
      })),
    };
  }
}

let image: Omit<ResolvedImage, 'reference'>;
let dir: string;
let npmOnly: VulnIndex;
let everything: VulnIndex;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'seco-sbom-cache-'));
  const lodash = JSON.stringify({ name: 'lodash', version: '4.17.20' });
  const bottom = await tarOf([
    {
      name: 'etc/os-release',
      content: 'ID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\nPRETTY_NAME="Debian GNU/Linux 12"\n',
    },
    { name: 'var/lib/dpkg/status', content: DPKG_STATUS },
    { name: 'app/node_modules/lodash/package.json', content: lodash },
    // The same package twice: one SBOM component with two seco:path properties.
    { name: 'srv/node_modules/lodash/package.json', content: lodash },
    { name: 'app/.env', content: 'AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE\n' },
  ]);
  const configJson = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }));
  image = {
    digest: sha('manifest'),
    config: JSON.parse(configJson.toString()),
    configJson,
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 0, ...layerOf(sha(bottom), bottom) },
    ],
  };
  await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'db-npm'), now);
  npmOnly = await VulnIndex.load(join(dir, 'db-npm'), ['npm', 'Debian']);
  await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'db-all'), now);
  await importOsv('test/fixtures/vuln/osv/dir/debian', join(dir, 'db-all'), now);
  everything = await VulnIndex.load(join(dir, 'db-all'), ['npm', 'Debian']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const freshStore = () => new FsObjectStore(mkdtempSync(join(dir, 'store-')));
const sorted = (packages: Array<{ purl: string; path: string }>) =>
  packages.map((p) => `${p.purl} ${p.path}`).sort();

describe('scanImageCached', () => {
  it('stores the SBOM under sbom/sha256/<hex>.cdx.json, then answers from it with the same findings and no pull', async () => {
    const store = freshStore();
    const source = new CountingSource(image);
    const options = { store, vulnIndex: everything, toolVersion: '0.1.0', now };
    const first = await scanImageCached(source, platform, options);
    expect(first.cached).toBe(false);
    expect(await store.stat(sbomKey(image.digest))).toBeDefined();
    expect(sbomKey(image.digest)).toMatch(/^sbom\/sha256\/[0-9a-f]{64}\.cdx\.json$/);
    expect(source.resolves).toBe(1);

    const second = await scanImageCached(source, platform, options);
    expect(second.cached).toBe(true);
    expect(source.resolves).toBe(1);
    expect(source.layerOpens).toBe(1);

    const fresh = await scanImage({ ...image, reference: source.reference }, everything, now);
    expect(second.findings).toEqual(fresh.findings);
    expect(second.os).toEqual(fresh.os);
    expect(second.problems).toEqual(fresh.problems);
    expect(sorted(second.packages)).toEqual(sorted(fresh.packages));
    expect(fresh.findings.map((f) => f.ruleId).sort()).toEqual([
      'DSA-5678-1',
      'GHSA-35jh-r3h4-6jhm',
      'image-secret',
      'image-user-root',
    ]);
  });

  it('matches advisories imported after the SBOM was stored, without pulling again', async () => {
    const store = freshStore();
    const source = new CountingSource(image);
    await scanImageCached(source, platform, { store, vulnIndex: npmOnly, toolVersion: '0.1.0', now });
    const later = await scanImageCached(source, platform, {
      store,
      vulnIndex: everything,
      toolVersion: '0.1.0',
      now,
    });
    expect(source.resolves).toBe(1);
    // libssl3 is matched through its source package and source version, both kept in the SBOM.
    expect(later.findings.find((f) => f.ruleId === 'DSA-5678-1')).toMatchObject({
      package: { name: 'libssl3', version: '3.0.11-1~deb12u2+b1', fixedVersion: '3.0.15-1~deb12u1' },
    });
  });

  it('inventories afresh when the stored SBOM came from another seco version', async () => {
    const store = freshStore();
    const source = new CountingSource(image);
    await scanImageCached(source, platform, { store, toolVersion: '0.1.0', now });
    const upgraded = await scanImageCached(source, platform, { store, toolVersion: '0.2.0', now });
    expect(upgraded.cached).toBe(false);
    expect(source.resolves).toBe(2);
    expect((await scanImageCached(source, platform, { store, toolVersion: '0.2.0', now })).cached).toBe(true);
  });

  it('reports a corrupt stored SBOM by key, pulls again and replaces it', async () => {
    const store = freshStore();
    const source = new CountingSource(image);
    await store.put(sbomKey(image.digest), '{"bomFormat": "CycloneDX", "metadata": ');
    const result = await scanImageCached(source, platform, { store, toolVersion: '0.1.0', now });
    expect(result.cached).toBe(false);
    expect(result.problems[0]).toEqual({
      source: sbomKey(image.digest),
      message: expect.stringMatching(
        /^stored SBOM sbom\/sha256\/.* is not a seco CycloneDX SBOM: .*pulled the image again$/,
      ),
    });
    expect((await scanImageCached(source, platform, { store, toolVersion: '0.1.0', now })).cached).toBe(true);
  });

  it('refuses a stored SBOM whose seco properties are not what it wrote', async () => {
    const store = freshStore();
    const source = new CountingSource(image);
    await scanImageCached(source, platform, { store, toolVersion: '0.1.0', now });
    const bom = JSON.parse((await store.get(sbomKey(image.digest)))!.toString());
    bom.metadata.properties.push({ name: 'seco:secret', value: '{"path": 1}' });
    await store.put(sbomKey(image.digest), JSON.stringify(bom));
    const result = await scanImageCached(source, platform, { store, toolVersion: '0.1.0', now });
    expect(result.cached).toBe(false);
    expect(result.problems[0]?.message).toMatch(/malformed seco:secret property/);
  });

  it('stores nothing when a layer could not be read', async () => {
    const store = freshStore();
    const result = await scanImageCached(new CountingSource(image, true), platform, {
      store,
      toolVersion: '0.1.0',
      now,
    });
    expect(result.problems).toEqual([
      { source: 'image', message: expect.stringMatching(/connection reset/) },
    ]);
    expect(await store.stat(sbomKey(image.digest))).toBeUndefined();
  });
});
