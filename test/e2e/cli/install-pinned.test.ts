import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import {
  type StackRegistry,
  stackImages,
  startStackRegistry,
} from '../../integration/plugin/install/stack-registry.js';
import { runCli } from './run-cli.js';

// The built CLI tags seco's image with dist/build-info.json's version: package.json's.
const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const paths = stackImages(version);

let api: RunningKubeApi;
let stack: StackRegistry;
beforeAll(async () => {
  api = await startKubeApi();
  stack = await startStackRegistry(version);
}, 120_000);
afterAll(async () => {
  await stack?.stop();
  await api?.stop();
});

/** oclif wraps error messages to the terminal width with `›` margins: join them back into one line. */
const oneLine = (text: string) => text.replace(/·?\n\s*›\s*/g, ' ').replace(/\s+/g, ' ');

const images = (yaml: string) =>
  parseAllDocuments(yaml)
    .map(
      (d) =>
        d.toJS() as { spec?: { template?: { spec?: { containers?: Array<{ image: string }> } } } } | null,
    )
    .flatMap((o) => o?.spec?.template?.spec?.containers?.map((c) => c.image) ?? []);

describe('kubectl seco install with digests (built CLI, loopback registry, API harness)', () => {
  it('--dry-run resolves every image to its digest and touches no cluster', async () => {
    const { code, stdout, stderr } = await runCli(
      ['install', '--dry-run', '--image-registry', stack.registry.host],
      {
        env: { KUBECONFIG: '/nonexistent' },
      },
    );
    expect(code).toBe(0);
    const pinned = await Promise.all(
      [paths.seco, paths.tools, paths.nats, paths.minio].map(
        async (p) => `${stack.registry.host}/${p}@${await stack.digest(p)}`,
      ),
    );
    expect(new Set(images(stdout))).toEqual(new Set(pinned));
    for (const image of pinned) expect(stderr).toContain(`image ${image}\n`);
  });

  it('exits 2 naming an image whose tag the registry does not have', async () => {
    const image = `${stack.registry.host}/seco-dev/seco:not-pushed`;
    const { code, stderr } = await runCli([
      'install',
      '--kubeconfig',
      api.kubeconfigPath(),
      '--image-registry',
      stack.registry.host,
      '--image',
      image,
    ]);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toContain(`cannot resolve image ${image} to a digest`);
    expect(stderr).toContain('--no-resolve');
    expect(api.store.find('apps/v1', 'Deployment', 'seco-system', 'seco-aggregator')).toBeUndefined();
  });

  it('exits 2 on an unknown --set key, listing the known ones', async () => {
    const { code, stderr } = await runCli([
      'install',
      '--dry-run',
      '--no-resolve',
      '--set',
      'aggregator.cpu=1',
    ]);
    expect(code).toBe(2);
    expect(oneLine(stderr)).toContain(
      '--set "aggregator.cpu": unknown key; known keys: aggregator.replicas, ',
    );
  });

  it('installs pinned, and uninstall --keep-data leaves the credentials and the namespace', async () => {
    const install = await runCli([
      'install',
      '--kubeconfig',
      api.kubeconfigPath(),
      '--image-registry',
      stack.registry.host,
    ]);
    expect(install.code).toBe(0);
    const ds = api.store.find('apps/v1', 'DaemonSet', 'seco-agents', 'seco-agent')!;
    expect(JSON.stringify(ds.spec)).toContain(
      `${stack.registry.host}/${paths.seco}@${await stack.digest(paths.seco)}`,
    );
    const uninstall = await runCli(['uninstall', '--keep-data', '--kubeconfig', api.kubeconfigPath()]);
    expect(uninstall.code).toBe(0);
    expect(uninstall.stdout).toContain('Secret/seco-system/seco-minio-credentials kept (--keep-data)');
    expect(api.store.find('apps/v1', 'DaemonSet', 'seco-agents', 'seco-agent')).toBeUndefined();
    expect(api.store.find('v1', 'Secret', 'seco-system', 'seco-minio-credentials')).toBeDefined();
    expect(api.store.find('v1', 'Namespace', '', 'seco-system')?.metadata?.deletionTimestamp).toBeUndefined();
  });
});
