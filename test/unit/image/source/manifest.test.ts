import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseManifest, pickPlatform } from '../../../../core/image/source/manifest.js';

const fixture = (name: string) =>
  readFileSync(new URL(`../../../fixtures/image/manifests/${name}`, import.meta.url));
const index = (name: string) => {
  const doc = parseManifest(fixture(name), name);
  if (doc.kind !== 'index') throw new Error(`${name} is not an index`);
  return doc.manifests;
};

describe('parseManifest', () => {
  it('reads a Docker v2 schema 2 manifest: config and ordered layers', () => {
    const doc = parseManifest(fixture('docker-manifest-v2.json'), 'm');
    expect(doc.kind).toBe('image');
    if (doc.kind !== 'image') return;
    expect(doc.config.mediaType).toBe('application/vnd.docker.container.image.v1+json');
    expect(doc.layers.map((l) => l.size)).toEqual([3408729, 1234]);
  });

  it('reads an OCI manifest without a mediaType field by its shape and the transport type', () => {
    const doc = parseManifest(
      fixture('oci-manifest-no-media-type.json'),
      'm',
      'application/vnd.oci.image.manifest.v1+json',
    );
    expect(doc.kind).toBe('image');
  });

  it('refuses a Docker schema 1 manifest by name', () => {
    expect(() => parseManifest(fixture('docker-schema1-signed.json'), 'manifest x')).toThrow(
      /schema 1 manifest/,
    );
  });

  it('refuses a digest that could become a path', () => {
    expect(() => parseManifest(fixture('hostile-config-digest.json'), 'm')).toThrow(
      /invalid digest "sha256:..\/..\/etc\/passwd"/,
    );
  });

  it('refuses non-JSON and non-object documents, and descriptors with a bad size', () => {
    expect(() => parseManifest(Buffer.from('<html>'), 'manifest y')).toThrow('manifest y is not valid JSON');
    expect(() => parseManifest(Buffer.from('[1]'), 'manifest y')).toThrow('manifest y is not a JSON object');
    const badSize = JSON.stringify({
      schemaVersion: 2,
      config: { digest: `sha256:${'a'.repeat(64)}`, size: '12' },
      layers: [],
    });
    expect(() => parseManifest(Buffer.from(badSize), 'm')).toThrow(/m config has an invalid size "12"/);
  });
});

describe('pickPlatform', () => {
  it('picks linux/amd64 from a manifest list', () => {
    expect(
      pickPlatform(index('docker-manifest-list.json'), { os: 'linux', architecture: 'amd64' }, 'i').platform,
    ).toEqual({
      os: 'linux',
      architecture: 'amd64',
    });
  });

  it('honours a requested variant and prefers v8 for arm64', () => {
    const list = index('docker-manifest-list.json');
    expect(
      pickPlatform(list, { os: 'linux', architecture: 'arm', variant: 'v7' }, 'i').platform?.variant,
    ).toBe('v7');
    expect(pickPlatform(list, { os: 'linux', architecture: 'arm64' }, 'i').platform?.variant).toBe('v8');
  });

  it('never picks an attestation manifest, and lists what there is when nothing matches', () => {
    const list = index('oci-index-with-attestation.json');
    expect(pickPlatform(list, { os: 'linux', architecture: 'amd64' }, 'i').size).toBe(1020);
    expect(() => pickPlatform(list, { os: 'windows', architecture: 'amd64' }, 'index i')).toThrow(
      'no manifest for windows/amd64 in index i (it has linux/amd64, linux/arm64, unknown/unknown)',
    );
  });
});
