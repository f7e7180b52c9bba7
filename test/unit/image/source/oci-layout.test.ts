import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { walkImage } from '../../../../core/image/layers/walk-image.js';
import { resolveLocalImage } from '../../../../core/image/source/resolve-image.js';
import { byPath, listing } from '../layers/tar-layer.js';

const layouts = fileURLToPath(new URL('../../../fixtures/image/layouts/', import.meta.url));
const amd64 = { os: 'linux', architecture: 'amd64' };

const contents = async (reference: string, platform = amd64) =>
  byPath((await walkImage((await resolveLocalImage(reference, platform)).layers, [listing])).outputs);

describe('OCI image layout', () => {
  it('opens the image a tag names and reads its config', async () => {
    const image = await resolveLocalImage(`oci-layout:${layouts}tagged:single`);
    expect(image.config).toMatchObject({ os: 'linux', config: { User: '1000' } });
    expect(await contents(`oci-layout:${layouts}tagged:single`)).toEqual({ 'single.txt': 'single\n' });
  });

  it('follows a nested index to the requested platform', async () => {
    expect(await contents(`oci-layout:${layouts}tagged:multi`)).toEqual({ 'arch.txt': 'amd64\n' });
    expect(
      await contents(`oci-layout:${layouts}tagged:multi`, { os: 'linux', architecture: 'arm64' }),
    ).toEqual({
      'arch.txt': 'arm64\n',
    });
  });

  it('matches a ref.name that is a full image name by its tag', async () => {
    expect(await contents(`oci-layout:${layouts}tagged:full`)).toEqual({ 'single.txt': 'single\n' });
  });

  it('asks for a tag when the layout holds several images, and lists the tags it has', async () => {
    await expect(resolveLocalImage(`oci-layout:${layouts}tagged`)).rejects.toThrow(
      /holds 3 images: name one with :TAG \(has single, multi, docker.io\/library\/app:full\)/,
    );
    await expect(resolveLocalImage(`oci-layout:${layouts}tagged:nope`)).rejects.toThrow(
      /no image tagged "nope"/,
    );
  });

  it('fails the walk on a layer blob that does not match its digest, naming it', async () => {
    const image = await resolveLocalImage(`oci-layout:${layouts}tampered-layer`);
    await expect(walkImage(image.layers, [listing])).rejects.toThrow(
      new RegExp(`blob ${image.layers[0]!.digest} (does not match its digest|is longer|is truncated)`),
    );
  });

  it('refuses a config blob that does not match its digest', async () => {
    await expect(resolveLocalImage(`oci-layout:${layouts}tampered-config`)).rejects.toThrow(
      /blob sha256:\w+ (does not match|is (longer|truncated))/,
    );
  });

  it('refuses a digest that would leave the layout', async () => {
    await expect(resolveLocalImage(`oci-layout:${layouts}escaping-digest`)).rejects.toThrow(
      /invalid digest "sha256\/..\/..\//,
    );
  });

  it('says what is missing: the directory, or the oci-layout file', async () => {
    await expect(resolveLocalImage('oci-layout:/no/such/layout')).rejects.toThrow(
      'index.json not found in /no/such/layout',
    );
    const dir = mkdtempSync(join(tmpdir(), 'seco-not-layout-'));
    writeFileSync(join(dir, 'index.json'), JSON.stringify({ schemaVersion: 2, manifests: [] }));
    await expect(resolveLocalImage(`oci-layout:${dir}`)).rejects.toThrow(
      `${dir} is not an OCI image layout (no oci-layout file)`,
    );
  });
});
