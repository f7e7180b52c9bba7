import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  ADD,
  AppsV1Api,
  CoreV1Api,
  DELETE,
  KubeConfig,
  makeInformer,
  PatchStrategy,
  setHeaderOptions,
  UPDATE,
  type V1ConfigMap,
  type V1Pod,
  Watch,
} from '@kubernetes/client-node';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';

function podBody(name: string, labels: Record<string, string> = {}): V1Pod {
  return { metadata: { name, labels }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } };
}

function statusOf(error: unknown): { code?: number; body?: Record<string, unknown> } {
  const e = error as { code?: number; body?: string };
  return {
    code: e.code,
    body: typeof e.body === 'string' ? (JSON.parse(e.body) as Record<string, unknown>) : undefined,
  };
}

describe('@kubernetes/client-node against the Kubernetes API harness', () => {
  let api: RunningKubeApi;
  let kc: KubeConfig;
  let core: CoreV1Api;

  beforeAll(async () => {
    api = await startKubeApi({ seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'apps' } }] });
    kc = new KubeConfig();
    kc.loadFromFile(api.kubeconfigPath());
    expect(kc.getCurrentCluster()?.skipTLSVerify).toBe(true);
    core = kc.makeApiClient(CoreV1Api);
  });
  afterAll(async () => api.stop());

  it('creates and lists pods with object-style parameters', async () => {
    await core.createNamespacedPod({ namespace: 'apps', body: podBody('one', { app: 'a' }) });
    await core.createNamespacedPod({ namespace: 'apps', body: podBody('two', { app: 'b' }) });
    const list = await core.listNamespacedPod({ namespace: 'apps', labelSelector: 'app=a' });
    expect(list.items.map((p) => p.metadata?.name)).toEqual(['one']);
    expect(list.items[0]!.status?.phase).toBe('Pending');
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThan(0);
  });

  it('pages lists with limit and continue', async () => {
    const first = await core.listPodForAllNamespaces({ limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.metadata?._continue).toBeTruthy();
    expect(first.metadata?.remainingItemCount).toBe(1);
    const second = await core.listPodForAllNamespaces({ limit: 1, _continue: first.metadata?._continue });
    expect(second.items.map((p) => p.metadata?.name)).toEqual(['two']);
    expect(second.metadata?._continue).toBeUndefined();
  });

  it('receives ADDED, MODIFIED and DELETED from a watch', async () => {
    const start = await core.listNamespacedPod({ namespace: 'apps' });
    const events: string[] = [];
    const controller = await new Watch(kc).watch(
      '/api/v1/namespaces/apps/pods',
      { resourceVersion: start.metadata?.resourceVersion },
      (type, object: V1Pod) => events.push(`${type} ${object.metadata?.name}`),
      () => undefined,
    );
    await core.createNamespacedPod({ namespace: 'apps', body: podBody('three') });
    await core.patchNamespacedPod(
      { namespace: 'apps', name: 'three', body: { metadata: { labels: { seen: 'yes' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedPod({ namespace: 'apps', name: 'three' });
    for (let i = 0; i < 50 && events.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    expect(events).toEqual(['ADDED three', 'MODIFIED three', 'DELETED three']);
  });

  it('feeds a client-node informer (list then watch from the list resourceVersion)', async () => {
    const informer = makeInformer(kc, '/api/v1/namespaces/apps/configmaps', () =>
      core.listNamespacedConfigMap({ namespace: 'apps' }),
    );
    const seen: string[] = [];
    informer.on(ADD, (cm: V1ConfigMap) => seen.push(`add ${cm.metadata?.name}`));
    informer.on(UPDATE, (cm: V1ConfigMap) => seen.push(`update ${cm.metadata?.name}`));
    informer.on(DELETE, (cm: V1ConfigMap) => seen.push(`delete ${cm.metadata?.name}`));
    await informer.start();
    await core.createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'watched' } } });
    await core.patchNamespacedConfigMap(
      { namespace: 'apps', name: 'watched', body: { data: { k: 'v' } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    await core.deleteNamespacedConfigMap({ namespace: 'apps', name: 'watched' });
    for (let i = 0; i < 50 && seen.length < 3; i++) await new Promise((r) => setTimeout(r, 20));
    await informer.stop();
    expect(seen).toEqual(['add watched', 'update watched', 'delete watched']);
  });

  it('patches with JSON patch, strategic merge patch and server-side apply', async () => {
    const apps = kc.makeApiClient(AppsV1Api);
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'apps' },
      spec: {
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' } },
          spec: {
            containers: [
              { name: 'web', image: 'nginx:1.27' },
              { name: 'sidecar', image: 'envoy:1.30' },
            ],
          },
        },
      },
    };
    await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'apps', body: deployment, fieldManager: 'seco-test', force: true },
      setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
    );
    const strategic = await apps.patchNamespacedDeployment(
      {
        name: 'web',
        namespace: 'apps',
        body: { spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1.28' }] } } } },
      },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(strategic.spec?.template.spec?.containers.map((c) => `${c.name}=${c.image}`)).toEqual([
      'web=nginx:1.28',
      'sidecar=envoy:1.30',
    ]);
    const json = await apps.patchNamespacedDeployment(
      { name: 'web', namespace: 'apps', body: [{ op: 'replace', path: '/spec/replicas', value: 4 }] },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch),
    );
    expect(json.spec?.replicas).toBe(4);
    expect(json.metadata?.generation).toBe(3);
  });

  it('answers a stale resourceVersion with 409 Conflict', async () => {
    const pod = await core.readNamespacedPod({ namespace: 'apps', name: 'one' });
    await core.replaceNamespacedPod({
      namespace: 'apps',
      name: 'one',
      body: { ...pod, metadata: { ...pod.metadata, labels: { v: '2' } } },
    });
    const failure = await core
      .replaceNamespacedPod({
        namespace: 'apps',
        name: 'one',
        body: { ...pod, metadata: { ...pod.metadata, labels: { v: '3' } } },
      })
      .catch(statusOf);
    expect(failure).toMatchObject({ code: 409, body: { reason: 'Conflict', kind: 'Status' } });
  });

  it('answers a missing name with 422 Invalid and a duplicate with 409 AlreadyExists', async () => {
    const invalid = await core
      .createNamespacedConfigMap({ namespace: 'apps', body: { data: { a: 'b' } } })
      .catch(statusOf);
    expect(invalid).toMatchObject({
      code: 422,
      body: { reason: 'Invalid', details: { causes: [{ field: 'metadata.name' }] } },
    });
    await core.createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'cm' } } });
    const duplicate = await core
      .createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'cm' } } })
      .catch(statusOf);
    expect(duplicate).toMatchObject({
      code: 409,
      body: { reason: 'AlreadyExists', message: 'configmaps "cm" already exists' },
    });
  });

  it('sends a watch from a compacted resourceVersion a 410 Expired error event', async () => {
    const old = String(api.store.resourceVersion);
    await core.createNamespacedConfigMap({ namespace: 'apps', body: { metadata: { name: 'later' } } });
    api.store.compact();
    const events: Array<{ type: string; object: Record<string, unknown> }> = [];
    await new Promise<void>((resolve) => {
      void new Watch(kc).watch(
        '/api/v1/namespaces/apps/configmaps',
        { resourceVersion: old },
        (type, object) => events.push({ type, object }),
        () => resolve(),
      );
    });
    expect(events).toEqual([
      { type: 'ERROR', object: expect.objectContaining({ code: 410, reason: 'Expired' }) },
    ]);
  });
});
