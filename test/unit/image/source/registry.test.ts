import { createServer } from 'node:http';
import type { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from '@jest/globals';
import { walkImage } from '../../../../core/image/layers/walk-image.js';
import type { Credentials } from '../../../../core/image/source/docker-config.js';
import { parseReference } from '../../../../core/image/source/reference.js';
import { RegistrySource } from '../../../../core/image/source/registry.js';
import { byPath, listing, tarOf } from '../layers/tar-layer.js';
import { type AuthMode, startTestRegistry, type TestRegistry } from './fake-registry.js';

const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
let registry: TestRegistry | undefined;
afterEach(async () => registry?.stop());

/** Puts a two-platform image under tag v1; returns the amd64 manifest and layer digests. */
async function publish(r: TestRegistry) {
  const layer = gzipSync(await tarOf([{ name: 'etc/os-release', content: 'ID=test\n' }]));
  const layerDigest = r.put(layer);
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', config: { User: 'app' } }));
  const manifestFor = (configBytes: Buffer) =>
    Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: {
          mediaType: 'application/vnd.oci.image.config.v1+json',
          digest: r.put(configBytes),
          size: configBytes.length,
        },
        layers: [
          {
            mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
            digest: layerDigest,
            size: layer.length,
          },
        ],
      }),
    );
  const amd64 = manifestFor(config);
  const arm64 = manifestFor(Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux' })));
  const amd64Digest = r.put(amd64, OCI_MANIFEST);
  const arm64Digest = r.put(arm64, OCI_MANIFEST);
  const index = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: arm64Digest,
          size: arm64.length,
          platform: { os: 'linux', architecture: 'arm64' },
        },
        {
          mediaType: OCI_MANIFEST,
          digest: amd64Digest,
          size: amd64.length,
          platform: { os: 'linux', architecture: 'amd64' },
        },
      ],
    }),
  );
  const indexDigest = r.put(index, OCI_INDEX, 'v1');
  return { amd64Digest, arm64Digest, layerDigest, indexDigest };
}

const source = (r: TestRegistry, credentials?: Credentials, ref = 'team/app:v1') =>
  new RegistrySource(parseReference(`${r.host}/${ref}`), {
    insecure: true,
    ...(credentials ? { credentials } : {}),
  });

async function pull(mode: AuthMode, credentials?: Parameters<typeof source>[1]) {
  registry = await startTestRegistry(mode);
  const published = await publish(registry);
  const image = await source(registry, credentials).resolve({ os: 'linux', architecture: 'amd64' });
  const walk = await walkImage(image.layers, [listing]);
  return { image, walk, published, r: registry };
}

describe('RegistrySource', () => {
  it('follows the index to linux/amd64, sends every manifest type in Accept, and streams layers', async () => {
    const { image, walk, published, r } = await pull('none');
    expect(image.digest).toBe(published.amd64Digest);
    expect(image.config).toMatchObject({ architecture: 'amd64', config: { User: 'app' } });
    expect(image.layers.map((l) => l.digest)).toEqual([published.layerDigest]);
    expect(byPath(walk.outputs)).toEqual({ 'etc/os-release': 'ID=test\n' });
    for (const accept of r.seen.accept)
      for (const type of [
        OCI_INDEX,
        OCI_MANIFEST,
        'application/vnd.docker.distribution.manifest.list.v2+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ])
        expect(accept).toContain(type);
  });

  it('picks another platform on request', async () => {
    registry = await startTestRegistry('none');
    const { arm64Digest } = await publish(registry);
    expect((await source(registry).resolve({ os: 'linux', architecture: 'arm64' })).digest).toBe(arm64Digest);
  });

  it('gives the digest of what a tag names: the index itself, not a platform’s manifest', async () => {
    registry = await startTestRegistry('none');
    const { indexDigest, amd64Digest } = await publish(registry);
    expect(await source(registry).manifestDigest()).toBe(indexDigest);
    expect(await source(registry, undefined, `team/app@${amd64Digest}`).manifestDigest()).toBe(amd64Digest);
  });

  it('answers a Basic challenge with the credentials, and says when there are none', async () => {
    const { walk } = await pull('basic', { username: 'u', password: 'p' });
    expect(walk.fileCount).toBe(1);
    await expect(source(registry!).resolve({ os: 'linux', architecture: 'amd64' })).rejects.toThrow(
      /requires credentials/,
    );
  });

  it('fetches a Bearer token from the realm with service and scope, and drops it on the cross-origin blob redirect', async () => {
    const { walk, r } = await pull('bearer', { username: 'u', password: 'p' });
    expect(walk.fileCount).toBe(1);
    const query = new URLSearchParams(r.seen.tokenRequests[0]!.query);
    expect(query.get('service')).toBe('test-registry');
    expect(query.get('scope')).toBe('repository:team/app:pull');
    expect(r.seen.tokenRequests[0]!.authorization).toBe(`Basic ${Buffer.from('u:p').toString('base64')}`);
    expect(r.seen.storageAuthorization).toEqual([undefined, undefined]);
  });

  it('exchanges an identity token with the OAuth2 refresh-token grant', async () => {
    const { walk, r } = await pull('refresh', { identityToken: 'refresh-secret', username: '<token>' });
    expect(walk.fileCount).toBe(1);
    const form = new URLSearchParams(r.seen.tokenRequests[0]!.body);
    expect(r.seen.tokenRequests[0]!.method).toBe('POST');
    expect(Object.fromEntries(form)).toMatchObject({
      grant_type: 'refresh_token',
      service: 'test-registry',
      scope: 'repository:team/app:pull',
    });
  });

  it('says the token endpoint rejected wrong credentials', async () => {
    registry = await startTestRegistry('bearer');
    await publish(registry);
    await expect(
      source(registry, { username: 'u', password: 'wrong' }).resolve({ os: 'linux', architecture: 'amd64' }),
    ).rejects.toThrow(
      /token endpoint http:\/\/127\.0\.0\.1:\d+\/token answered 401 \(credentials rejected\)/,
    );
  });

  it('fails a layer whose served bytes do not match its digest, naming the blob', async () => {
    registry = await startTestRegistry('none');
    const { layerDigest } = await publish(registry);
    const image = await source(registry).resolve({ os: 'linux', architecture: 'amd64' });
    registry.tamper(layerDigest, gzipSync(await tarOf([{ name: 'evil', content: 'x' }])));
    await expect(walkImage(image.layers, [listing])).rejects.toThrow(
      new RegExp(`blob ${layerDigest} (does not match|is (longer|truncated))`),
    );
  });

  it('refuses a manifest that does not match the digest it was asked by', async () => {
    registry = await startTestRegistry('none');
    const { amd64Digest } = await publish(registry);
    registry.tamper(amd64Digest, Buffer.from('{"schemaVersion":2,"layers":[]}'));
    await expect(
      source(registry, undefined, `team/app@${amd64Digest}`).resolve({ os: 'linux', architecture: 'amd64' }),
    ).rejects.toThrow(/does not match its digest/);
  });

  it('reports a missing tag with the registry’s error code', async () => {
    registry = await startTestRegistry('none');
    await expect(
      source(registry, undefined, 'team/app:nope').resolve({ os: 'linux', architecture: 'amd64' }),
    ).rejects.toThrow(/manifest .*team\/app:nope: .* answered 404 Not Found \(MANIFEST_UNKNOWN: unknown\)/);
  });

  it('refuses a manifest over the size cap before parsing it', async () => {
    registry = await startTestRegistry('none');
    registry.put(Buffer.alloc(5 * 1024 * 1024, 0x20), OCI_MANIFEST, 'huge');
    await expect(
      source(registry, undefined, 'team/app:huge').resolve({ os: 'linux', architecture: 'amd64' }),
    ).rejects.toThrow(/over the 4194304-byte limit/);
  });

  it('gives up on a registry that does not answer within the timeout', async () => {
    const silent = createServer(() => {
      // accepts the request and never answers
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(silent.address() as { port: number }).port}`;
    try {
      await expect(
        new RegistrySource(parseReference(`${host}/a/b:1`), { insecure: true, timeoutMs: 300 }).resolve({
          os: 'linux',
          architecture: 'amd64',
        }),
      ).rejects.toThrow(/no answer within 300 ms/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it('fails a blob download that stalls, naming the blob', async () => {
    registry = await startTestRegistry('none');
    const { layerDigest } = await publish(registry);
    const image = await new RegistrySource(parseReference(`${registry.host}/team/app:v1`), {
      insecure: true,
    }).resolve({ os: 'linux', architecture: 'amd64' });
    const stalling = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(10));
    });
    await new Promise<void>((resolve) => stalling.listen(0, '127.0.0.1', resolve));
    const host = `127.0.0.1:${(stalling.address() as { port: number }).port}`;
    const stalled = new RegistrySource(parseReference(`${host}/team/app:v1`), {
      insecure: true,
      idleTimeoutMs: 300,
    });
    const layer = {
      ...image.layers[0]!,
      open: () => (stalled as unknown as { blob(d: object): Promise<Readable> }).blob(image.layers[0]!),
    };
    try {
      await expect(walkImage([layer], [listing])).rejects.toThrow(
        `layer ${layerDigest}: blob ${layerDigest}: no data for 300 ms`,
      );
    } finally {
      stalling.closeAllConnections();
      await new Promise((resolve) => stalling.close(resolve));
    }
  });
});
