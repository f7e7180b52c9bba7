import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { scanImage } from '../../../core/image/scan-image.js';
import { resolveImage } from '../../../core/image/source/resolve-image.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import {
  pushWithSkopeo,
  type RunningRegistry,
  startRegistry,
} from '../../harness/registry/start-registry.js';
import { startTokenGate, type TokenGate } from '../../harness/registry/token-gate.js';

const now = new Date('2026-11-24T00:00:00Z');
const creds = { username: 'puller', password: 's3cret-pass' };
let built: BuiltImage;
let open: RunningRegistry;
let locked: RunningRegistry;
let gate: TokenGate;
let expected: string[];

const packagesOf = async (ref: string, options: Parameters<typeof resolveImage>[1]) =>
  (await scanImage(await resolveImage(ref, options), undefined, now)).packages
    .map((p) => `${p.name}@${p.version}`)
    .sort();

function dockerConfig(host: string, auth: { username: string; password: string }): string {
  const dir = mkdtempSync(join(tmpdir(), 'seco-docker-config-'));
  const path = join(dir, 'config.json');
  writeFileSync(
    path,
    JSON.stringify({
      auths: { [host]: { auth: Buffer.from(`${auth.username}:${auth.password}`).toString('base64') } },
    }),
  );
  return path;
}

beforeAll(async () => {
  built = buildTestImage();
  open = await startRegistry();
  locked = await startRegistry({ basicAuth: creds });
  pushWithSkopeo(built.layout, 'test', `${open.host}/seco/app:1.0`);
  pushWithSkopeo(built.layout, 'test', `${locked.host}/seco/app:1.0`, creds);
  gate = await startTokenGate(open.host, creds);
  expected = await packagesOf(`oci-layout:${built.layout}:test`, {});
}, 120_000);

afterAll(async () => {
  await gate?.stop();
  await open?.stop();
  await locked?.stop();
  built?.remove();
});

describe('pulling from a real registry (docker-registry, pushed with skopeo)', () => {
  it('pulls anonymously and sees the same packages as the local layout', async () => {
    expect(
      await packagesOf(`${open.host}/seco/app:1.0`, {
        insecureRegistries: [open.host],
        dockerConfig: '/nonexistent',
      }),
    ).toEqual(expected);
  });

  it('pulls by digest, and refuses a digest that does not match', async () => {
    const image = await resolveImage(`${open.host}/seco/app:1.0`, {
      insecureRegistries: [open.host],
      dockerConfig: '/nonexistent',
    });
    const byDigest = await resolveImage(`${open.host}/seco/app@${image.digest}`, {
      insecureRegistries: [open.host],
      dockerConfig: '/nonexistent',
    });
    expect(byDigest.digest).toBe(image.digest);
    await expect(
      resolveImage(`${open.host}/seco/app@sha256:${'1'.repeat(64)}`, {
        insecureRegistries: [open.host],
        dockerConfig: '/nonexistent',
      }),
    ).rejects.toThrow(/404|does not match/);
  });

  it('authenticates with Basic credentials from a docker config.json, and says so when there are none', async () => {
    const config = dockerConfig(locked.host, creds);
    expect(
      await packagesOf(`${locked.host}/seco/app:1.0`, {
        insecureRegistries: [locked.host],
        dockerConfig: config,
      }),
    ).toEqual(expected);
    await expect(
      resolveImage(`${locked.host}/seco/app:1.0`, {
        insecureRegistries: [locked.host],
        dockerConfig: '/nonexistent',
      }),
    ).rejects.toThrow(/requires credentials/);
  });

  it('follows the Bearer token challenge with the repository pull scope', async () => {
    const config = dockerConfig(gate.host, creds);
    expect(
      await packagesOf(`${gate.host}/seco/app:1.0`, {
        insecureRegistries: [gate.host],
        dockerConfig: config,
      }),
    ).toEqual(expected);
    expect(gate.scopes).toContain('repository:seco/app:pull');
  });
});
