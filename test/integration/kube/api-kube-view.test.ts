import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { ApiKubeView } from '../../../core/kube/api-kube-view.js';
import { KUBE_KINDS } from '../../../core/kube/kube-kinds.js';
import { loadKubeConfig } from '../../../core/kube/load-kube-config.js';
import { openKubeView } from '../../../core/kube/open-kube-view.js';
import type { KubeObject } from '../../../core/kube/types.js';
import { findType } from '../../harness/kube-api/resources.js';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { CONTRACT_FIXTURE_DIR, kubeViewContract } from './kube-view-contract.js';

function fixtureObjects(): KubeObject[] {
  return readdirSync(CONTRACT_FIXTURE_DIR)
    .sort()
    .flatMap((file) => parseAllDocuments(readFileSync(join(CONTRACT_FIXTURE_DIR, file), 'utf8')))
    .map((doc) => doc.toJS() as KubeObject);
}

let api: RunningKubeApi;
beforeAll(async () => {
  api = await startKubeApi({
    seed: fixtureObjects(),
    tokens: { 'alice-token': { username: 'alice', groups: ['devs'] } },
    rules: [
      {
        effect: 'allow',
        users: ['alice'],
        verbs: ['get', 'list'],
        resources: ['pods'],
        namespaces: ['shop'],
      },
    ],
    fallback: 'deny',
  });
});
afterAll(async () => api?.stop());

const adminView = (options?: ConstructorParameters<typeof ApiKubeView>[1]) =>
  new ApiKubeView(loadKubeConfig({ kubeconfig: api.kubeconfigPath() }), options);

kubeViewContract('Kubernetes API', async () => adminView());

describe('ApiKubeView', () => {
  it('follows continue tokens until the last page', async () => {
    const view = adminView({ pageSize: 1 });
    expect((await view.list('Pod')).map((p) => p.metadata?.name).sort()).toEqual(['api-1', 'web-1', 'web-1']);
    expect(await view.list('Node')).toHaveLength(2);
  });

  it('says which kind and namespace a 403 was for', async () => {
    const view = new ApiKubeView(loadKubeConfig({ kubeconfig: api.kubeconfigPath('alice') }));
    expect(await view.list('Pod', { namespace: 'shop' })).toHaveLength(2);
    await expect(view.list('Pod', { namespace: 'other' })).rejects.toThrow(
      /^cannot list Pod in namespace other: forbidden \(403\): .*alice/,
    );
    await expect(view.list('Deployment')).rejects.toThrow(
      /^cannot list Deployment in all namespaces: forbidden/,
    );
    await expect(view.get('ClusterRole', undefined, 'reader')).rejects.toThrow(
      /^cannot get ClusterRole reader: forbidden/,
    );
  });

  it('names the context whose credentials a 401 refused', async () => {
    const path = join(tmpdir(), `seco-bad-token-${process.pid}.yaml`);
    writeFileSync(path, readFileSync(api.kubeconfigPath(), 'utf8').replace(/token: .*/, 'token: wrong'));
    const view = new ApiKubeView(loadKubeConfig({ kubeconfig: path }));
    await expect(view.list('Pod')).rejects.toThrow(
      `cannot list Pod in all namespaces: the credentials of context seco-harness (${api.url}) were refused (401 Unauthorized)`,
    );
  });

  it('lists a custom resource kind the cluster does not serve as empty, a built-in one as an error', async () => {
    const widget = { kind: 'Widget', apiVersion: 'example.com/v1', resource: 'widgets', namespaced: true };
    const view = adminView({ kinds: [...KUBE_KINDS, { ...widget, optional: true }] });
    expect(await view.list('Widget', { namespace: 'shop' })).toEqual([]);
    const strict = adminView({ kinds: [widget] });
    await expect(strict.list('Widget')).rejects.toThrow(
      /^cannot list Widget in all namespaces: not found \(404\)/,
    );
  });

  it('refuses kinds it does not read and listing secrets', async () => {
    await expect(adminView().list('ResourceQuota')).rejects.toThrow(/^seco does not read kind ResourceQuota/);
    // ConfigMaps are read by name only (kube-system/extension-apiserver-authentication).
    await expect(adminView().list('ConfigMap')).rejects.toThrow(/never as a list/);
    await expect(adminView().list('Secret', { namespace: 'shop' })).rejects.toThrow(/never as a list/);
  });
});

describe('ApiKubeView.watchPods', () => {
  it('reports current pods, then changes, as plain objects, until stopped', async () => {
    const events: string[] = [];
    const stop = await adminView().watchPods(
      (event, pod) => events.push(`${event} ${pod.kind} ${pod.metadata?.namespace}/${pod.metadata?.name}`),
      { namespace: 'shop' },
    );
    const until = async (n: number) => {
      for (let i = 0; i < 100 && events.length < n; i++) await new Promise((r) => setTimeout(r, 20));
    };
    await until(2);
    api.store.put({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'new-1', namespace: 'shop' },
      spec: { containers: [{ name: 'c', image: 'nginx:1.27' }] },
    });
    await until(3);
    api.store.remove(findType('', 'v1', 'pods')!, 'shop', 'new-1');
    await until(4);
    stop();
    expect(events.sort()).toEqual([
      'ADDED Pod shop/api-1',
      'ADDED Pod shop/new-1',
      'ADDED Pod shop/web-1',
      'DELETED Pod shop/new-1',
    ]);
  });
});

describe('openKubeView', () => {
  it('opens the cluster of a kubeconfig and context, or a directory', async () => {
    const view = await openKubeView({ kubeconfig: api.kubeconfigPath(), context: 'seco-harness' });
    expect(await view.list('Pod', { namespace: 'shop' })).toHaveLength(2);
    const dir = await openKubeView({ kubeFrom: CONTRACT_FIXTURE_DIR });
    expect(await dir.list('Pod', { namespace: 'shop' })).toHaveLength(2);
  });

  it('names what is missing', async () => {
    await expect(openKubeView({ kubeconfig: api.kubeconfigPath(), context: 'prod' })).rejects.toThrow(
      'context prod is not in the kubeconfig (it has: seco-harness)',
    );
    await expect(openKubeView({ kubeconfig: '/nonexistent/config' })).rejects.toThrow(
      'kubeconfig /nonexistent/config does not exist',
    );
    expect(() => loadKubeConfig({ env: { HOME: '/nonexistent' } })).toThrow(
      /^no kubeconfig: give --kubeconfig/,
    );
    await expect(openKubeView({ kubeFrom: 'x', context: 'y' })).rejects.toThrow(/cannot be combined/);
  });
});
