import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { containersOf, podTemplateOf } from '../../../../core/kube/pod-template.js';
import type { KubeObject } from '../../../../core/kube/types.js';
import { installStack, renderYaml } from '../../../../plugin/install/install-stack.js';
import { manifestsDir } from '../../../../plugin/install/manifests-dir.js';
import { prepareStack } from '../../../../plugin/install/prepare-stack.js';
import type { StackSettings } from '../../../../plugin/install/stack-settings.js';
import {
  installTargetsForSuite,
  type StackRegistry,
  stackImages,
  startStackRegistry,
} from './stack-registry.js';

// Every install makes NATS keys and certificates (seconds each on a loaded machine).
jest.setTimeout(180_000);

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const paths = stackImages(version);

const targets = installTargetsForSuite(version);

const notes: string[] = [];
const prepare = (extra: Partial<StackSettings> = {}, noResolve = false) =>
  prepareStack(
    manifestsDir(),
    { namespace: 'seco-system', version, imageRegistry: targets.stack.registry.host, ...extra },
    { kc: targets.kc, noResolve, note: (line) => notes.push(line) },
  );

const imagesOf = (objects: KubeObject[]) =>
  Object.fromEntries(
    objects.flatMap((o) => {
      const template = podTemplateOf(o);
      return template
        ? containersOf(template.spec).map(({ container }) => [container.name, container.image])
        : [];
    }),
  );

describe('install pins images against a real registry', () => {
  it('pins every image to the digest the registry serves for its tag', async () => {
    const { base, pinned } = await prepare();
    const host = targets.stack.registry.host;
    const at = async (path: string) => `${host}/${path}@${await targets.stack.digest(path)}`;
    expect(imagesOf(base.objects)).toEqual({
      aggregator: await at(paths.seco),
      agent: await at(paths.seco),
      // The tools image: the agent pod's second container and the seco-tools Deployment.
      tools: await at(paths.tools),
      nats: await at(paths.nats),
      minio: await at(paths.minio),
    });
    expect(pinned).toHaveLength(4);
    expect(notes).toContain(`image ${await at(paths.nats)}`);
  });

  it('--dry-run prints exactly what install applies, but for the generated Secrets and fingerprints', async () => {
    const { base } = await prepare();
    const printed = parseAllDocuments(renderYaml(base))
      .map((d) => d.toJS() as KubeObject | null)
      .filter((o): o is KubeObject => o !== null);
    await installStack(base, { kc: targets.kc, log: () => {} });
    expect(printed).toHaveLength(base.objects.length);
    for (const object of printed) {
      const stored = targets.api.store.find(
        object.apiVersion!,
        object.kind!,
        object.metadata?.namespace ?? '',
        object.metadata!.name!,
      );
      // What the server keeps is what was printed, plus what it adds (defaults, status, metadata) —
      // and the APIService's caBundle, which install fills with the serving CA it makes (the printout says so).
      if (object.kind === 'APIService') {
        const caBundle = (stored!.spec as { caBundle: string }).caBundle;
        expect(caBundle).toMatch(/^LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0t/);
        (object.spec as { caBundle?: string }).caBundle = caBundle;
      }
      expect(stored).toMatchObject(object);
    }
    const ds = targets.api.store.find('apps/v1', 'DaemonSet', 'seco-agents', 'seco-agent')!;
    expect(imagesOf([ds]).agent).toBe(
      `${targets.stack.registry.host}/${paths.seco}@${await targets.stack.digest(paths.seco)}`,
    );
  });

  it('--no-resolve keeps the tags and says so', async () => {
    notes.length = 0;
    const { base, pinned } = await prepare({}, true);
    expect(pinned).toEqual([]);
    expect(imagesOf(base.objects).nats).toBe(`${targets.stack.registry.host}/${paths.nats}`);
    expect(notes).toEqual(['--no-resolve: images keep their tags and are not pinned to digests']);
  });

  it('names the image a tag of which cannot be resolved, and why', async () => {
    const image = `${targets.stack.registry.host}/seco-dev/seco:no-such-tag`;
    await expect(prepare({ image })).rejects.toThrow(
      `cannot resolve image ${image} to a digest: manifest ${image}: ${targets.stack.registry.host} answered 404 Not Found (MANIFEST_UNKNOWN: manifest unknown) (--no-resolve installs the tags as they are)`,
    );
  });

  it('names every image that cannot be resolved at once', async () => {
    await expect(prepare({ imageRegistry: `${targets.stack.registry.host}/elsewhere` })).rejects.toThrow(
      /^cannot resolve 4 images to digests: .*elsewhere\/seco-dev\/seco:.*404.*; .*elsewhere\/seco-dev\/seco-tools:.*404.*; .*elsewhere\/library\/nats:2\.10\.24-alpine: .*404.*; .*elsewhere\/minio\/minio:.*404.* \(--no-resolve installs the tags as they are\)$/,
    );
  });
});

describe('install with a pull secret', () => {
  const creds = { username: 'puller', password: 'pull-pass-123' };
  let privateStack: StackRegistry;
  beforeAll(async () => {
    privateStack = await startStackRegistry(version, { basicAuth: creds });
  }, 120_000);
  afterAll(async () => privateStack?.stop());

  const withSecret = (name: string) =>
    prepareStack(
      manifestsDir(),
      { namespace: 'seco-system', version, imageRegistry: privateStack.registry.host, imagePullSecret: name },
      { kc: targets.kc, note: () => {} },
    );

  it('resolves with the Secret’s credentials and sets it as imagePullSecrets on every pod', async () => {
    const auth = Buffer.from(`${creds.username}:${creds.password}`).toString('base64');
    const config = { auths: { [privateStack.registry.host]: { auth } } };
    targets.api.store.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'mirror-pull', namespace: 'seco-system' },
      type: 'kubernetes.io/dockerconfigjson',
      data: { '.dockerconfigjson': Buffer.from(JSON.stringify(config)).toString('base64') },
    });
    const { base } = await withSecret('mirror-pull');
    expect(imagesOf(base.objects).minio).toBe(
      `${privateStack.registry.host}/${paths.minio}@${await privateStack.digest(paths.minio)}`,
    );
    for (const object of base.objects.filter((o) => podTemplateOf(o)))
      expect(podTemplateOf(object)!.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
    // The agents run in their own namespace: install gives them a copy of the Secret there.
    await installStack(base, { kc: targets.kc, log: () => {} });
    const copy = targets.api.store.find('v1', 'Secret', 'seco-agents', 'mirror-pull')!;
    expect(copy.type).toBe('kubernetes.io/dockerconfigjson');
    expect(copy.data).toEqual(targets.api.store.find('v1', 'Secret', 'seco-system', 'mirror-pull')!.data);
  }, 180_000);

  it('without it, the registry refuses and the error says so', async () => {
    await expect(
      prepareStack(
        manifestsDir(),
        { namespace: 'seco-system', version, imageRegistry: privateStack.registry.host },
        { kc: targets.kc, note: () => {} },
      ),
    ).rejects.toThrow(
      /^cannot resolve 4 images to digests: 127\.0\.0\.1:\d+\/seco-dev\/seco:\S+: 127\.0\.0\.1:\d+ requires credentials/,
    );
  });

  it('names a missing Secret, and on a first install says to make the namespace first', async () => {
    await expect(withSecret('nope')).rejects.toThrow(
      '--image-pull-secret: Secret seco-system/nope not found; create it first (kubectl create secret docker-registry nope -n seco-system ',
    );
    await expect(
      prepareStack(
        manifestsDir(),
        { namespace: 'fresh', version, imageRegistry: privateStack.registry.host, imagePullSecret: 'pull' },
        { kc: targets.kc, note: () => {} },
      ),
    ).rejects.toThrow(
      '--image-pull-secret: Secret fresh/pull not found; create it first (kubectl create namespace fresh && kubectl label namespace fresh app.kubernetes.io/part-of=seco, then kubectl create secret docker-registry pull -n fresh ',
    );
  });
});
