import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { raw } from './raw-request.js';
import { kubectl } from './run-kubectl.js';

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

describe('API discovery in the harness', () => {
  let api: RunningKubeApi;

  beforeAll(async () => {
    api = await startKubeApi();
  });
  afterAll(async () => api.stop());

  it('serves aggregated discovery when asked, naming it in the Content-Type', async () => {
    const reply = await raw(api, '/apis', { accept: `${AGGREGATED},application/json` });
    expect(reply.headers['content-type']).toBe(AGGREGATED);
    const items = reply.json!.items as Array<{
      metadata: { name: string };
      versions: Array<{ resources: unknown[] }>;
    }>;
    const apps = items.find((i) => i.metadata.name === 'apps')!;
    expect(apps.versions[0]!.resources).toContainEqual(
      expect.objectContaining({
        resource: 'deployments',
        scope: 'Namespaced',
        responseKind: { group: 'apps', version: 'v1', kind: 'Deployment' },
        subresources: expect.arrayContaining([
          expect.objectContaining({
            subresource: 'scale',
            responseKind: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
          }),
        ]),
      }),
    );
  });

  it('serves the legacy documents to clients that ask for plain JSON', async () => {
    const groups = await raw(api, '/apis');
    expect(groups.json).toMatchObject({ kind: 'APIGroupList' });
    const core = await raw(api, '/api/v1');
    expect(core.json).toMatchObject({ kind: 'APIResourceList', groupVersion: 'v1' });
    expect(core.json!.resources).toContainEqual(
      expect.objectContaining({ name: 'pods', namespaced: true, shortNames: ['po'] }),
    );
    const version = await raw(api, '/version');
    expect(version.json).toMatchObject({ major: '1', minor: '32' });
  });

  it('lets kubectl list every served resource', async () => {
    const result = await kubectl(api.kubeconfigPath(), ['api-resources', '-o', 'name']);
    expect(result.stderr).toBe('');
    expect(result.stdout.trim().split('\n')).toEqual(
      expect.arrayContaining([
        'pods',
        'deployments.apps',
        'peerauthentications.security.istio.io',
        'leases.coordination.k8s.io',
      ]),
    );
  });
});
