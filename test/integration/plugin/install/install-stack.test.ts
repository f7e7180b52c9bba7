import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { KubeConfig } from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';
import { loadKubeConfig } from '../../../../core/kube/load-kube-config.js';
import type { KubeObject } from '../../../../core/kube/types.js';
import { installStack, renderYaml, uninstallStack } from '../../../../plugin/install/install-stack.js';
import { manifestsDir } from '../../../../plugin/install/manifests-dir.js';
import { renderBase } from '../../../../plugin/install/render-base.js';
import { type RunningKubeApi, startKubeApi } from '../../../harness/kube-api/start-kube-api.js';
import { kubectl } from '../../harness/run-kubectl.js';

// Every install makes NATS keys and certificates (seconds each on a loaded machine).
jest.setTimeout(180_000);

const run = promisify(execFile);
const key = (o: KubeObject) => `${o.kind}/${o.metadata?.namespace ?? ''}/${o.metadata?.name}`;
const byKey = (objects: KubeObject[]) => Object.fromEntries(objects.map((o) => [key(o), o]));

let api: RunningKubeApi;
let kc: KubeConfig;
beforeAll(async () => {
  api = await startKubeApi({ seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }] });
  kc = loadKubeConfig({ kubeconfig: api.kubeconfigPath() });
});
afterAll(async () => api?.stop());

describe('renderBase', () => {
  it('renders manifests/ exactly as kubectl kustomize does', async () => {
    const { stdout } = await run('/usr/bin/kubectl', ['kustomize', manifestsDir()]);
    const kustomized = parseAllDocuments(stdout).map((d) => d.toJS() as KubeObject);
    const base = await renderBase(manifestsDir());
    expect(base.namespace).toBe('seco-system');
    expect(byKey(base.objects)).toEqual(byKey(kustomized));
    expect(base.objects.map((o) => o.kind)).toEqual(kustomized.map((o) => o.kind));
  });

  it('moves everything to another namespace, service-account subjects included', async () => {
    const base = await renderBase(manifestsDir(), { namespace: 'security', agentNamespace: 'nodes' });
    const namespaced = base.objects.filter(
      (o) => !['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'APIService'].includes(o.kind!),
    );
    const agents = namespaced.filter((o) => o.metadata?.namespace === 'nodes').map(key);
    expect(agents.sort()).toEqual([
      'DaemonSet/nodes/seco-agent',
      'NetworkPolicy/nodes/seco-agent-egress',
      'NetworkPolicy/nodes/seco-default-deny',
      'ServiceAccount/nodes/seco-agent',
    ]);
    expect(new Set(namespaced.map((o) => o.metadata?.namespace))).toEqual(new Set(['security', 'nodes']));
    expect(base.objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata?.name)).toEqual([
      'security',
      'nodes',
    ]);
    // NATS admits the agents from their namespace, wherever it moved.
    expect(JSON.stringify(namespaced.find((o) => key(o) === 'NetworkPolicy/security/seco-nats'))).toContain(
      '"kubernetes.io/metadata.name":"nodes"',
    );
    expect(base.objects.find((o) => o.kind === 'APIService')?.spec).toMatchObject({
      service: { namespace: 'security', name: 'seco-aggregator', port: 443 },
    });
    expect(base.objects.find((o) => o.kind === 'ClusterRoleBinding')?.subjects).toEqual([
      { kind: 'ServiceAccount', name: 'seco-aggregator', namespace: 'security' },
    ]);
  });

  it('pins every seco image to the kustomization version and no image to a floating tag', async () => {
    const images = (await renderBase(manifestsDir())).objects.flatMap((o) =>
      (
        (o.spec as { template?: { spec?: { containers?: Array<{ image: string }> } } })?.template?.spec
          ?.containers ?? []
      ).map((c) => c.image),
    );
    expect(images.filter((i) => i.startsWith('ghcr.io/seco-dev/seco')).sort()).toEqual([
      'ghcr.io/seco-dev/seco-tools:0.1.0',
      'ghcr.io/seco-dev/seco-tools:0.1.0',
      'ghcr.io/seco-dev/seco:0.1.0',
      'ghcr.io/seco-dev/seco:0.1.0',
    ]);
    for (const image of images) expect(image).toMatch(/:[0-9A-Za-z][\w.-]*\d[\w.-]*$/);
  });

  it('prints YAML for --dry-run without the generated credentials', async () => {
    const yaml = renderYaml(await renderBase(manifestsDir()));
    expect(yaml).toContain('Secret seco-system/seco-minio-credentials (random Minio keys, never printed)');
    expect(yaml).not.toMatch(/secret-key:\s+\S/);
    expect(parseAllDocuments(yaml).filter((d) => d.contents !== null)).toHaveLength(
      (await renderBase(manifestsDir())).objects.length,
    );
  });
});

describe('installStack and uninstallStack against the API harness', () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  it('applies the stack with server-side apply, and kubectl sees it', async () => {
    const base = await renderBase(manifestsDir());
    await installStack(base, { kc, log });
    expect(lines).toContain('Deployment/seco-system/seco-aggregator applied');
    expect(lines).toContain('Secret/seco-system/seco-minio-credentials created (random keys)');
    const deploy = api.store.find('apps/v1', 'Deployment', 'seco-system', 'seco-aggregator');
    expect(
      (deploy!.metadata!.managedFields as Array<{ manager: string; operation: string }>)[0],
    ).toMatchObject({
      manager: 'kubectl-seco',
      operation: 'Apply',
    });
    const got = await kubectl(api.kubeconfigPath(), ['get', 'deploy', '-n', 'seco-system']);
    expect(got.code).toBe(0);
    expect(got.stdout).toMatch(/^seco-aggregator\s+0\/2\s/m);
    const agents = await kubectl(api.kubeconfigPath(), [
      'get',
      'ds,netpol',
      '-n',
      'seco-agents',
      '-o',
      'name',
    ]);
    expect(agents.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'daemonset.apps/seco-agent',
      'networkpolicy.networking.k8s.io/seco-agent-egress',
      'networkpolicy.networking.k8s.io/seco-default-deny',
    ]);
    const ds = await kubectl(api.kubeconfigPath(), [
      'get',
      'ds,sts,svc,netpol',
      '-n',
      'seco-system',
      '-o',
      'name',
    ]);
    expect(ds.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'networkpolicy.networking.k8s.io/seco-aggregator',
      'networkpolicy.networking.k8s.io/seco-aggregator-egress',
      'networkpolicy.networking.k8s.io/seco-default-deny',
      'networkpolicy.networking.k8s.io/seco-minio',
      'networkpolicy.networking.k8s.io/seco-nats',
      'networkpolicy.networking.k8s.io/seco-tools-egress',
      'service/seco-aggregator',
      'service/seco-minio',
      'service/seco-nats',
      'statefulset.apps/seco-minio',
      'statefulset.apps/seco-nats',
    ]);
  });

  it('keeps the random Minio credentials on a re-run, and changes only the certificates', async () => {
    const secret = () =>
      api.store.find('v1', 'Secret', 'seco-system', 'seco-minio-credentials') as KubeObject;
    const data = secret().data as Record<string, string>;
    const access = Buffer.from(data['access-key']!, 'base64').toString();
    const secretKey = Buffer.from(data['secret-key']!, 'base64').toString();
    expect(access).toMatch(/^seco[A-Za-z0-9]{16}$/);
    expect(secretKey).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(lines.join('\n')).not.toContain(secretKey);
    const deployment = () => api.store.find('apps/v1', 'Deployment', 'seco-system', 'seco-aggregator')!;
    const before = deployment();
    lines.length = 0;
    await installStack(await renderBase(manifestsDir()), { kc, log });
    expect(lines).toContain('Secret/seco-system/seco-minio-credentials kept');
    expect(secret().data).toEqual(data);
    // Every install renews the bus's certificates: the pod template's CA fingerprint is all that changed.
    const withoutFingerprint = (spec: unknown) =>
      JSON.parse(
        JSON.stringify(spec).replace(/"seco\.dev\/bus-trust":"[0-9a-f]+"/, '"seco.dev/bus-trust":""'),
      );
    expect(withoutFingerprint(deployment().spec)).toEqual(withoutFingerprint(before.spec));
    expect(deployment().spec).not.toEqual(before.spec);
  });

  it('waits for the rollout with --wait, and says what it still waits for on timeout', async () => {
    const base = await renderBase(manifestsDir());
    await expect(installStack(base, { kc, log, waitMs: 300 })).rejects.toThrow(
      /^timed out after 0s waiting for Deployment\/seco-system\/seco-aggregator \(waiting for /,
    );
    // The harness runs no controllers: play the part of the Deployment, StatefulSet and DaemonSet controllers,
    // as long as the install runs (every install rolls the pods onto new certificates).
    const observe = () => {
      for (const object of base.objects) {
        const ns = object.metadata!.namespace!;
        const stored = api.store.find(object.apiVersion!, object.kind!, ns, object.metadata!.name!);
        if (!stored || !['Deployment', 'StatefulSet', 'DaemonSet'].includes(object.kind!)) continue;
        const n = object.kind === 'DaemonSet' ? 2 : ((stored.spec as { replicas: number }).replicas ?? 1);
        const generation = stored.metadata?.generation;
        const status =
          object.kind === 'DaemonSet'
            ? {
                observedGeneration: generation,
                desiredNumberScheduled: n,
                updatedNumberScheduled: n,
                numberAvailable: n,
              }
            : object.kind === 'StatefulSet'
              ? {
                  observedGeneration: generation,
                  replicas: n,
                  readyReplicas: n,
                  currentRevision: 'r1',
                  updateRevision: 'r1',
                }
              : {
                  observedGeneration: generation,
                  replicas: n,
                  updatedReplicas: n,
                  availableReplicas: n,
                  readyReplicas: n,
                };
        if (JSON.stringify(stored.status) !== JSON.stringify(status)) api.store.put({ ...stored, status });
      }
    };
    const controllers = setInterval(observe, 50);
    lines.length = 0;
    try {
      await installStack(base, { kc, log, waitMs: 30_000 });
    } finally {
      clearInterval(controllers);
    }
    expect(lines).toContain('DaemonSet/seco-agents/seco-agent: rolled out');
    expect((await kubectl(api.kubeconfigPath(), ['get', 'deploy', '-n', 'seco-system'])).stdout).toMatch(
      /^seco-aggregator\s+2\/2\s/m,
    );
  });

  it('refuses a second install in another namespace, whose cluster-wide binding it would take', async () => {
    await expect(
      installStack(await renderBase(manifestsDir(), { namespace: 'team' }), { kc, log }),
    ).rejects.toThrow(
      'seco is already installed in namespace seco-system (ClusterRoleBinding seco-aggregator binds its service account there)',
    );
    expect(api.store.find('apps/v1', 'Deployment', 'team', 'seco-aggregator')).toBeUndefined();
    lines.length = 0;
    await uninstallStack(await renderBase(manifestsDir(), { namespace: 'team' }), { kc, log });
    expect(lines).toContain(
      'ClusterRole/seco-aggregator kept: it belongs to the seco installed in namespace seco-system',
    );
    expect(
      api.store.find('rbac.authorization.k8s.io/v1', 'ClusterRole', '', 'seco-aggregator'),
    ).toBeDefined();
  });

  it('uninstalls everything, its own namespace included', async () => {
    lines.length = 0;
    await uninstallStack(await renderBase(manifestsDir()), { kc, log });
    expect(lines).toContain('Secret/seco-system/seco-minio-credentials deleted');
    expect(lines).toContain('ClusterRole/seco-aggregator deleted');
    expect(lines.at(-1)).toBe('Namespace/seco-system deleted (with the NATS and Minio volumes)');
    for (let i = 0; i < 50 && api.store.find('v1', 'Namespace', '', 'seco-system'); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    const got = await kubectl(api.kubeconfigPath(), ['get', 'deploy', '-n', 'seco-system']);
    expect(`${got.stdout}${got.stderr}`).toMatch(/No resources found/);
    expect(
      api.store.find('rbac.authorization.k8s.io/v1', 'ClusterRoleBinding', '', 'seco-aggregator'),
    ).toBeUndefined();
    lines.length = 0;
    await uninstallStack(await renderBase(manifestsDir()), { kc, log });
    expect(lines.every((l) => l.endsWith('not found'))).toBe(true);
  });
  it('installs into a namespace that is not seco without relabelling it', async () => {
    lines.length = 0;
    await installStack(await renderBase(manifestsDir(), { namespace: 'team' }), { kc, log });
    expect(lines.find((l) => l.startsWith('Namespace/'))).toMatch(
      /^Namespace\/team exists and is not seco's/,
    );
    expect(api.store.find('v1', 'Namespace', '', 'team')?.metadata?.labels ?? {}).not.toHaveProperty(
      'pod-security.kubernetes.io/enforce',
    );
    lines.length = 0;
    await uninstallStack(await renderBase(manifestsDir(), { namespace: 'team' }), { kc, log });
    expect(lines.at(-1)).toMatch(/^Namespace\/team kept: it is not seco's/);
    expect(api.store.find('apps/v1', 'Deployment', 'team', 'seco-aggregator')).toBeUndefined();
    expect(api.store.find('v1', 'Namespace', '', 'team')).toBeDefined();
  });
});
