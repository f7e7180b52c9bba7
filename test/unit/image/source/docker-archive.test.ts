import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { walkImage } from '../../../../core/image/layers/walk-image.js';
import { resolveLocalImage } from '../../../../core/image/source/resolve-image.js';
import { byPath, listing } from '../layers/tar-layer.js';

const archives = fileURLToPath(new URL('../../../fixtures/image/archives/', import.meta.url));

describe('docker-archive (docker save format)', () => {
  it('reads a legacy save: <id>/layer.tar verified against the config diff_ids, whiteouts applied', async () => {
    const image = await resolveLocalImage(`docker-archive:${archives}docker-save-legacy.tar`);
    expect(image.layers.map((l) => l.digest)).toEqual(image.config.rootfs?.diff_ids);
    expect(image.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(byPath((await walkImage(image.layers, [listing])).outputs)).toEqual({
      'etc/issue': 'legacy\n',
      'etc/motd': 'hello\n',
    });
  });

  it('reads Docker 25’s OCI-in-save format through manifest.json, and the same archive as an OCI archive', async () => {
    const path = `${archives}docker-save-oci.tar`;
    const saved = await resolveLocalImage(`docker-archive:${path}`);
    expect(saved.layers.map((l) => l.digest)).toEqual(saved.config.rootfs?.diff_ids);
    const expected = { 'usr/share/doc/readme': 'new format\n' };
    expect(byPath((await walkImage(saved.layers, [listing])).outputs)).toEqual(expected);
    const asOci = await resolveLocalImage(`oci-archive:${path}:1`);
    expect(asOci.layers.map((l) => l.digest)).toEqual(saved.layers.map((l) => l.digest));
    expect(byPath((await walkImage(asOci.layers, [listing])).outputs)).toEqual(expected);
  });

  it('fails a layer swapped after saving, naming its digest', async () => {
    const image = await resolveLocalImage(`docker-archive:${archives}docker-save-tampered.tar`);
    await expect(walkImage(image.layers, [listing])).rejects.toThrow(
      new RegExp(`^layer ${image.layers[0]!.digest}: blob .* does not match`),
    );
  });

  it('picks an image by RepoTag or position, and asks when the archive has several', async () => {
    const path = `${archives}docker-save-two-images.tar`;
    await expect(resolveLocalImage(`docker-archive:${path}`)).rejects.toThrow(
      /holds 2 images: name one with :REPO:TAG or :@N/,
    );
    expect((await resolveLocalImage(`docker-archive:${path}:seco/other:2`)).layers).toHaveLength(1);
    expect((await resolveLocalImage(`docker-archive:${path}:@1`)).layers).toHaveLength(1);
    await expect(resolveLocalImage(`docker-archive:${path}:seco/none:1`)).rejects.toThrow(
      /has seco\/legacy:1, seco\/other:2/,
    );
  });

  it('says manifest.json is not valid JSON', async () => {
    await expect(resolveLocalImage(`docker-archive:${archives}not-json-manifest.tar`)).rejects.toThrow(
      /manifest.json in .*not-json-manifest.tar is not valid JSON/,
    );
  });

  it('says the archive is missing', async () => {
    await expect(resolveLocalImage('docker-archive:/no/such.tar')).rejects.toThrow(/no such file|ENOENT/);
  });
});
