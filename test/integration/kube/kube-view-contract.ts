import { describe, expect, it } from '@jest/globals';
import type { KubeView } from '../../../core/kube/kube-view.js';
import type { KubeObject } from '../../../core/kube/types.js';

/** The objects both views are given: a directory view loads the dir, an API view is seeded with them. */
export const CONTRACT_FIXTURE_DIR = 'test/fixtures/kube-view';

const ids = (objects: KubeObject[]) =>
  objects.map((o) => [o.metadata?.namespace, o.metadata?.name].filter(Boolean).join('/')).sort();

/** What every KubeView does alike, whatever is behind it. `open` returns a view over CONTRACT_FIXTURE_DIR. */
export function kubeViewContract(name: string, open: () => Promise<KubeView>): void {
  describe(`KubeView contract: ${name}`, () => {
    it('lists a kind across namespaces, in one namespace, and by label selector', async () => {
      const view = await open();
      expect(ids(await view.list('Pod'))).toEqual(['other/web-1', 'shop/api-1', 'shop/web-1']);
      expect(ids(await view.list('Pod', { namespace: 'shop' }))).toEqual(['shop/api-1', 'shop/web-1']);
      expect(ids(await view.list('Pod', { namespace: 'shop', labelSelector: 'app=web' }))).toEqual([
        'shop/web-1',
      ]);
      expect(ids(await view.list('Pod', { labelSelector: 'app in (web,api),!tier' }))).toEqual([
        'other/web-1',
        'shop/api-1',
      ]);
      expect(await view.list('Pod', { namespace: 'empty-namespace' })).toEqual([]);
    });

    it('returns plain JSON objects with apiVersion and kind set, as the API stores them', async () => {
      const view = await open();
      const [pod] = await view.list('Pod', { namespace: 'shop', labelSelector: 'app=api' });
      expect(pod).toMatchObject({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'api-1', namespace: 'shop', labels: { app: 'api' } },
        spec: { nodeName: 'node-b', containers: [{ name: 'api', image: 'api' }] },
      });
      expect(Object.getPrototypeOf(pod)).toBe(Object.prototype);
      expect(JSON.parse(JSON.stringify(pod))).toEqual(pod);
      const [deployment] = await view.list('Deployment', { namespace: 'shop' });
      expect(deployment).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    });

    it('reads cluster-scoped kinds', async () => {
      const view = await open();
      expect(ids(await view.list('Node'))).toEqual(['node-a', 'node-b']);
      expect(ids(await view.list('ClusterRole', { labelSelector: 'team=sec' }))).toEqual(['reader']);
      expect((await view.get('ClusterRole', undefined, 'reader'))?.rules).toEqual([
        { apiGroups: [''], resources: ['pods'], verbs: ['get', 'list'] },
      ]);
    });

    it('gets one object by namespace and name, and undefined when there is none', async () => {
      const view = await open();
      expect((await view.get('Deployment', 'shop', 'web'))?.metadata?.labels).toEqual({
        app: 'web',
        tier: 'front',
      });
      expect(await view.get('Deployment', 'shop', 'nope')).toBeUndefined();
      expect(await view.get('Deployment', 'other', 'web')).toBeUndefined();
      expect((await view.get('Secret', 'shop', 'pull'))?.type).toBe('kubernetes.io/dockerconfigjson');
      expect((await view.get('Pod', undefined, 'api-1'))?.metadata?.namespace).toBe('shop');
    });

    it('reads the other kinds the scanners use', async () => {
      const view = await open();
      expect(ids(await view.list('Service', { namespace: 'shop' }))).toEqual(['shop/web']);
      expect(ids(await view.list('PeerAuthentication'))).toEqual(['shop/default']);
      expect(ids(await view.list('LimitRange', { namespace: 'shop' }))).toEqual(['shop/limits']);
      expect(await view.list('NetworkPolicy')).toEqual([]);
      expect(await view.list('CronJob', { namespace: 'shop' })).toEqual([]);
      // admissionregistration.k8s.io/v1, for scan --cluster-policies.
      expect(ids(await view.list('ValidatingAdmissionPolicy'))).toEqual(['require-team']);
      expect((await view.list('ValidatingAdmissionPolicyBinding'))[0]?.spec).toEqual({
        policyName: 'require-team',
        validationActions: ['Deny'],
      });
    });
  });
}
