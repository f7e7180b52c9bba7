import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll } from '@jest/globals';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../../../core/kube/load-kube-config.js';
import { buildTinyImage } from '../../../harness/image/build-tiny-image.js';
import { type RunningKubeApi, startKubeApi } from '../../../harness/kube-api/start-kube-api.js';
import { pushImage } from '../../../harness/registry/push-image.js';
import {
  type RegistryOptions,
  type RunningRegistry,
  startRegistry,
} from '../../../harness/registry/start-registry.js';

const run = promisify(execFile);

/** The repositories and tags of the stack's images, as `--image-registry HOST` maps them. */
export const stackImages = (version: string) => ({
  seco: `seco-dev/seco:${version}`,
  tools: `seco-dev/seco-tools:${version}`,
  nats: 'library/nats:2.10.24-alpine',
  minio: 'minio/minio:RELEASE.2024-12-18T13-15-44Z',
});

export interface StackRegistry {
  registry: RunningRegistry;
  /** Pushes a new build (different content) under `path` (repository:tag); returns its digest. */
  push(path: string, content: string): Promise<string>;
  /** The digest the registry serves for `path` now, asked with skopeo (ground truth, not seco's client). */
  digest(path: string): Promise<string>;
  stop(): Promise<void>;
}

/** A real loopback docker-registry holding a tiny image under each of the stack's names. */
export async function startStackRegistry(
  version: string,
  options: RegistryOptions = {},
): Promise<StackRegistry> {
  const registry = await startRegistry(options);
  const creds = options.basicAuth;
  const auth = creds ? ['--creds', `${creds.username}:${creds.password}`] : [];
  const digest = async (path: string) =>
    (
      await run('skopeo', [
        'inspect',
        '--tls-verify=false',
        ...auth,
        '--format',
        '{{.Digest}}',
        `docker://${registry.host}/${path}`,
      ])
    ).stdout.trim();
  const push = async (path: string, content: string) => {
    const image = buildTinyImage(content);
    try {
      await pushImage(image.layout, image.tag, `${registry.host}/${path}`, creds);
    } finally {
      image.remove();
    }
    return digest(path);
  };
  for (const [name, path] of Object.entries(stackImages(version))) await push(path, `${name} build 1`);
  return { registry, push, digest, stop: () => registry.stop() };
}

/** An install suite's targets: the emulated API server, its kubeconfig and the registry of stack images. */
export interface InstallTargets {
  readonly api: RunningKubeApi;
  readonly kc: KubeConfig;
  readonly stack: StackRegistry;
}

/** Started once for the suite, stopped after it; read the fields inside tests. */
export function installTargetsForSuite(version: string): InstallTargets {
  let api: RunningKubeApi | undefined;
  let kc: KubeConfig | undefined;
  let stack: StackRegistry | undefined;
  beforeAll(async () => {
    api = await startKubeApi();
    kc = loadKubeConfig({ kubeconfig: api.kubeconfigPath() });
    stack = await startStackRegistry(version);
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
    await api?.stop();
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined)
      throw new Error('the install targets are not started yet (use them inside a test)');
    return value;
  };
  return {
    get api() {
      return started(api);
    },
    get kc() {
      return started(kc);
    },
    get stack() {
      return started(stack);
    },
  };
}
