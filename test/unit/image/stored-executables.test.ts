import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { inventorySbom, sbomKey, scanImageCached } from '../../../core/image/sbom-cache.js';
import type { ImageInventory } from '../../../core/image/scan-image.js';
import type { ImageSource, ResolvedImage } from '../../../core/image/source/image-source.js';
import { storedExecutables } from '../../../core/image/stored-executables.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { layerOf, tarOf } from './layers/tar-layer.js';

const now = new Date('2026-11-24T00:00:00Z');
const platform = { os: 'linux', architecture: 'amd64' };
const digest = `sha256:${createHash('sha256').update('manifest').digest('hex')}`;
const dir = mkdtempSync(join(tmpdir(), 'seco-stored-exes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const freshStore = () => new FsObjectStore(mkdtempSync(join(dir, 'store-')));

async function sourceOf(entries: Parameters<typeof tarOf>[0]): Promise<ImageSource> {
  const layer = await tarOf(entries);
  const configJson = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: {} }));
  const image: ResolvedImage = {
    reference: 'registry.example/app:1',
    digest,
    config: JSON.parse(configJson.toString()),
    configJson,
    layers: [
      { mediaType: 'application/vnd.oci.image.layer.v1.tar', size: layer.length, ...layerOf('l1', layer) },
    ],
  };
  return { reference: image.reference, imageDigest: async () => digest, resolve: async () => image };
}

const inventory = (over: Partial<ImageInventory>): ImageInventory => ({
  packages: [],
  user: '',
  secrets: [],
  problems: [],
  executables: { paths: [], capped: false },
  ...over,
});

describe('storedExecutables', () => {
  it('gives back the executables the cached scan stored in the SBOM', async () => {
    const store = freshStore();
    const source = await sourceOf([
      { name: 'usr/bin/app', mode: 0o755 },
      { name: 'etc/app.conf', mode: 0o644 },
    ]);
    const scan = await scanImageCached(source, platform, { store, toolVersion: '0.1.0', now });
    expect(scan.cached).toBe(false);
    expect(await storedExecutables(store, digest)).toEqual(new Set(['/usr/bin/app']));
    // The stored inventory carries them too, so a cached rescan rewrites nothing it lost.
    expect((await scanImageCached(source, platform, { store, toolVersion: '0.1.0', now })).cached).toBe(true);
  });

  it('finds a multi-platform image by the index digest the kubelet reports, for the node’s platform', async () => {
    const store = freshStore();
    const index = `sha256:${createHash('sha256').update('index').digest('hex')}`;
    const source = await sourceOf([{ name: 'usr/bin/app', mode: 0o755 }]);
    // Pulled by the index digest (what the pod runs); the SBOM is stored under the platform manifest's.
    await scanImageCached({ ...source, reference: `registry.example/app@${index}` }, platform, {
      store,
      toolVersion: '0.1.0',
      now,
    });
    expect(await storedExecutables(store, index, platform)).toEqual(new Set(['/usr/bin/app']));
    expect(await storedExecutables(store, index, { os: 'linux', architecture: 'arm64' })).toBeUndefined();
    expect(await storedExecutables(store, index)).toBeUndefined();
  });

  it('is undefined when no SBOM is stored', async () => {
    expect(await storedExecutables(freshStore(), digest)).toBeUndefined();
  });

  it('is undefined for an SBOM written before executables were recorded', async () => {
    const store = freshStore();
    const sbom = inventorySbom({ reference: 'r', digest }, inventory({}), '0.0.9', now);
    sbom.metadata.properties = sbom.metadata.properties.filter((p) => !p.name.startsWith('seco:executables'));
    await store.put(sbomKey(digest), JSON.stringify(sbom));
    expect(await storedExecutables(store, digest)).toBeUndefined();
  });

  it('is undefined when the list was capped: its gaps would look like drift', async () => {
    const store = freshStore();
    const capped = inventory({ executables: { paths: ['/bin/sh'], capped: true } });
    await store.put(
      sbomKey(digest),
      JSON.stringify(inventorySbom({ reference: 'r', digest }, capped, '0.1.0', now)),
    );
    expect(await storedExecutables(store, digest)).toBeUndefined();
  });

  it('is read from an SBOM of another tool version', async () => {
    const store = freshStore();
    const older = inventory({ executables: { paths: ['/bin/sh'], capped: false } });
    await store.put(
      sbomKey(digest),
      JSON.stringify(inventorySbom({ reference: 'r', digest }, older, '0.0.1', now)),
    );
    expect(await storedExecutables(store, digest)).toEqual(new Set(['/bin/sh']));
  });
});
