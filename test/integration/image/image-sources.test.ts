import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LayerAnalyzer } from '../../../core/image/layers/entry.js';
import { walkImage } from '../../../core/image/layers/walk-image.js';
import type { ResolvedImage } from '../../../core/image/source/image-source.js';
import { type ResolveOptions, resolveImage } from '../../../core/image/source/resolve-image.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';
import { buildLayeredImage, type LayeredImage } from './layered-image.js';

const creds = { username: 'puller', password: 'pull-Secret-42' };
let image: LayeredImage;
let anonymous: RunningRegistry;
let basic: RunningRegistry;
let bearer: RunningRegistry;

/** Lists every final path; reads the dpkg status so content is checked too. */
const inventory: LayerAnalyzer<string> = {
  name: 'inventory',
  wants: () => true,
  analyze: async (file) =>
    file.path === 'var/lib/dpkg/status'
      ? `dpkg:${(await file.read()).toString('utf8').split('\nPackage: ').length}`
      : file.header.type,
};

async function finalFiles(resolved: ResolvedImage): Promise<string[]> {
  const walk = await walkImage(resolved.layers, [inventory]);
  expect(walk.problems).toEqual([]);
  return walk.outputs.map((o) => o.path).sort();
}

const tempDirs: string[] = [];
function dockerConfig(host: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'seco-docker-config-'));
  tempDirs.push(dir);
  const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ auths: { [host]: { auth } } }));
  return join(dir, 'config.json');
}

const fromRegistry = (registry: RunningRegistry, options: ResolveOptions) =>
  resolveImage(`${registry.host}/seco/layered:v1`, { insecureRegistries: [registry.host], ...options });

beforeAll(async () => {
  image = buildLayeredImage();
  [anonymous, basic, bearer] = await Promise.all([
    startRegistry(),
    startRegistry({ basicAuth: creds }),
    startRegistry({ tokenAuth: creds }),
  ]);
  await pushImage(image.layout, image.tag, `${anonymous.host}/seco/layered:v1`);
  await pushImage(image.layout, image.tag, `${basic.host}/seco/layered:v1`, creds);
  await pushImage(image.layout, image.tag, `${bearer.host}/seco/layered:v1`, creds);
}, 120_000);

afterAll(async () => {
  await Promise.all([anonymous?.stop(), basic?.stop(), bearer?.stop()]);
  image?.remove();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

describe('one umoci-built image read through every source', () => {
  it('sees from the OCI layout exactly the files umoci unpacks, without the whited-out ones', async () => {
    const files = await finalFiles(await resolveImage(`oci-layout:${image.layout}:${image.tag}`));
    expect(files).toEqual(image.finalFiles);
    expect(files).toEqual(
      expect.arrayContaining(['var/lib/dpkg/status', 'etc/app/added.conf', 'usr/bin/tool-link']),
    );
    for (const gone of image.deleted) expect(files).not.toContain(gone);
  });

  it('sees the same files from the OCI archive, read in place', async () => {
    expect(await finalFiles(await resolveImage(`oci-archive:${image.ociArchive}:${image.tag}`))).toEqual(
      image.finalFiles,
    );
  });

  it('sees the same files from skopeo’s docker-archive, by tag and by position', async () => {
    expect(
      await finalFiles(await resolveImage(`docker-archive:${image.dockerArchive}:seco/layered:v1`)),
    ).toEqual(image.finalFiles);
    expect(await finalFiles(await resolveImage(`docker-archive:${image.dockerArchive}`))).toEqual(
      image.finalFiles,
    );
    expect(await finalFiles(await resolveImage(`docker-archive:${image.dockerArchive}:@0`))).toEqual(
      image.finalFiles,
    );
  });

  it('pulls the same image anonymously from docker-registry with the layout’s manifest digest', async () => {
    const local = await resolveImage(`oci-layout:${image.layout}:${image.tag}`);
    const pulled = await fromRegistry(anonymous, { dockerConfig: '/nonexistent' });
    expect(await finalFiles(pulled)).toEqual(image.finalFiles);
    expect(pulled.layers.map((l) => l.digest)).toEqual(local.layers.map((l) => l.digest));
    const byDigest = await resolveImage(`${anonymous.host}/seco/layered@${pulled.digest}`, {
      insecureRegistries: [anonymous.host],
      dockerConfig: '/nonexistent',
    });
    expect(byDigest.digest).toBe(pulled.digest);
  });

  it('pulls with htpasswd Basic credentials from a docker config.json, and says when they are missing', async () => {
    expect(await finalFiles(await fromRegistry(basic, { dockerConfig: dockerConfig(basic.host) }))).toEqual(
      image.finalFiles,
    );
    await expect(fromRegistry(basic, { dockerConfig: '/nonexistent' })).rejects.toThrow(
      /requires credentials/,
    );
  });

  it('pulls through docker-registry’s own token auth: challenge, realm, signed JWT', async () => {
    const pulled = await fromRegistry(bearer, { dockerConfig: dockerConfig(bearer.host) });
    expect(await finalFiles(pulled)).toEqual(image.finalFiles);
    expect(bearer.tokens!.requests).toContainEqual({
      scope: 'repository:seco/layered:pull',
      authenticated: true,
    });
    await expect(
      fromRegistry(bearer, { credentials: { username: creds.username, password: 'wrong' } }),
    ).rejects.toThrow(/token endpoint .* answered 401 \(credentials rejected\)/);
  });
});
