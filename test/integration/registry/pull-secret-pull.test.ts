import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import yaml from 'js-yaml';
import { pullSecretCredentials } from '../../../core/image/pull-secret-credentials.js';
import { scanImage } from '../../../core/image/scan-image.js';
import { parseReference } from '../../../core/image/source/reference.js';
import { resolveImage } from '../../../core/image/source/resolve-image.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import {
  pushWithSkopeo,
  type RunningRegistry,
  startRegistry,
} from '../../harness/registry/start-registry.js';

const creds = { username: 'puller', password: 's3cret-pass' };
let built: BuiltImage;
let locked: RunningRegistry;

/** The Secret `kubectl create secret docker-registry` makes (client-side dry run: no cluster needed). */
function kubectlPullSecret(server: string, username: string, password: string): unknown {
  const out = execFileSync(
    'kubectl',
    [
      'create',
      'secret',
      'docker-registry',
      'regcred',
      '-n',
      'shop',
      `--docker-server=${server}`,
      `--docker-username=${username}`,
      `--docker-password=${password}`,
      '--dry-run=client',
      '-o',
      'yaml',
    ],
    { encoding: 'utf8' },
  );
  return yaml.load(out);
}

beforeAll(async () => {
  built = buildTestImage();
  locked = await startRegistry({ basicAuth: creds });
  pushWithSkopeo(built.layout, 'test', `${locked.host}/shop/app:1.0`, creds);
}, 120_000);

afterAll(async () => {
  await locked?.stop();
  built?.remove();
});

describe('pulling with credentials from an imagePullSecret', () => {
  it('pulls from an htpasswd-protected docker-registry with a kubectl-made dockerconfigjson Secret', async () => {
    const ref = `${locked.host}/shop/app:1.0`;
    const [credentials] = pullSecretCredentials(
      [kubectlPullSecret(locked.host, creds.username, creds.password)],
      parseReference(ref),
    );
    expect(credentials).toEqual(creds);
    const image = await resolveImage(ref, {
      insecureRegistries: [locked.host],
      dockerConfig: '/nonexistent',
      ...(credentials ? { credentials } : {}),
    });
    const scanned = await scanImage(image, undefined, new Date('2026-11-24T00:00:00Z'));
    expect(scanned.packages.map((p) => p.name)).toContain('lodash');
  });

  it('fails with the registry named when the Secret holds a wrong password', async () => {
    const ref = `${locked.host}/shop/app:1.0`;
    const [credentials] = pullSecretCredentials(
      [kubectlPullSecret(locked.host, creds.username, 'wrong')],
      parseReference(ref),
    );
    await expect(
      resolveImage(ref, {
        insecureRegistries: [locked.host],
        dockerConfig: '/nonexistent',
        ...(credentials ? { credentials } : {}),
      }),
    ).rejects.toThrow(new RegExp(`${locked.host} rejected the credentials`));
  });
});
