import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { kubectl } from './run-kubectl.js';

interface DeploymentJson {
  metadata: { labels: Record<string, string>; generation: number };
  spec: { replicas: number; template: { spec: { containers: Array<{ image: string }> } } };
}

const FIXTURES = join(import.meta.dirname, '../../fixtures/kube-api');

function pod(name: string, namespace: string, labels: Record<string, string>, nodeName: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }] },
    status: { phase: 'Running', containerStatuses: [{ name: 'app', ready: true, restartCount: 2 }] },
  };
}

describe('the real kubectl against the Kubernetes API harness', () => {
  let api: RunningKubeApi;
  let config: string;

  beforeAll(async () => {
    api = await startKubeApi({
      seed: [
        pod('web-1', 'shop', { app: 'web' }, 'n1'),
        pod('web-2', 'shop', { app: 'web' }, 'n2'),
        pod('db-1', 'shop', { app: 'db' }, 'n1'),
        pod('agent-1', 'kube-system', { app: 'agent' }, 'n1'),
      ],
    });
    config = api.kubeconfigPath();
  });
  afterAll(async () => api.stop());

  it('lists pods across all namespaces as a server-side table', async () => {
    const result = await kubectl(config, ['get', 'pods', '-A']);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^NAMESPACE\s+NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(lines).toHaveLength(5);
    expect(result.stdout).toMatch(/kube-system\s+agent-1\s+1\/1\s+Running\s+2\s+\d+s/);
  });

  it('filters with label selectors and field selectors', async () => {
    const byLabel = await kubectl(config, ['get', 'pods', '-n', 'shop', '-l', 'app=web', '-o', 'name']);
    expect(byLabel.stdout.trim().split('\n')).toEqual(['pod/web-1', 'pod/web-2']);
    const setBased = await kubectl(config, [
      'get',
      'pods',
      '-A',
      '-l',
      'app in (db,agent),app!=agent',
      '-o',
      'name',
    ]);
    expect(setBased.stdout.trim()).toBe('pod/db-1');
    const byNode = await kubectl(config, [
      'get',
      'pods',
      '-A',
      '--field-selector',
      'spec.nodeName=n1',
      '-o',
      'name',
    ]);
    expect(byNode.stdout.trim().split('\n').sort()).toEqual(['pod/agent-1', 'pod/db-1', 'pod/web-1']);
  });

  it('prints NotFound the way it does against a cluster', async () => {
    const result = await kubectl(config, ['get', 'pod', 'nope', '-n', 'shop']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('Error from server (NotFound): pods "nope" not found');
  });

  it('rejects an unsupported field selector with BadRequest', async () => {
    const result = await kubectl(config, ['get', 'pods', '-A', '--field-selector', 'spec.bogus=1']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('field label not supported: spec.bogus');
  });

  it('creates then updates with server-side apply and returns JSON lists', async () => {
    const created = await kubectl(config, [
      'apply',
      '--server-side',
      '-f',
      join(FIXTURES, 'web-deployment.yaml'),
    ]);
    expect(created.stderr).toBe('');
    expect(created.stdout).toContain('deployment.apps/web serverside-applied');
    const updated = await kubectl(config, [
      'apply',
      '--server-side',
      '-f',
      join(FIXTURES, 'web-deployment-v2.yaml'),
    ]);
    expect(updated.code).toBe(0);
    const got = await kubectl(config, ['get', 'deploy', '-n', 'shop', '-o', 'json']);
    const list = JSON.parse(got.stdout) as { items: DeploymentJson[] };
    expect(list.items).toHaveLength(1);
    const deployment = list.items[0]!;
    expect(deployment.spec.replicas).toBe(3);
    expect(deployment.spec.template.spec.containers[0]?.image).toBe('nginx:1.28');
    expect(deployment.metadata.labels).toEqual({ app: 'web', tier: 'frontend' });
    expect(deployment.metadata.generation).toBe(2);
    const stored = api.store.find('apps/v1', 'Deployment', 'shop', 'web')!;
    expect(stored.metadata?.managedFields).toEqual([
      expect.objectContaining({ manager: 'kubectl', operation: 'Apply' }),
    ]);
  });

  it('reports a server-side apply conflict with a client-side apply and honours --force-conflicts', async () => {
    await kubectl(config, ['create', 'namespace', 'csa']);
    const manifest = join(FIXTURES, 'api-deployment.yaml');
    const clientSide = await kubectl(config, ['apply', '-f', manifest]);
    expect(clientSide.stdout.trim()).toBe('deployment.apps/api created');
    const again = await kubectl(config, ['apply', '-f', manifest]);
    expect(again.stdout.trim()).toBe('deployment.apps/api unchanged');
    const scaled = await kubectl(config, ['scale', 'deploy', 'api', '-n', 'csa', '--replicas=4']);
    expect(scaled.stdout.trim()).toBe('deployment.apps/api scaled');
    const conflict = await kubectl(config, ['apply', '--server-side', '-f', manifest]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toContain(
      'Apply failed with 1 conflict: conflict with "kubectl" using apps/v1: .spec.replicas',
    );
    const forced = await kubectl(config, ['apply', '--server-side', '--force-conflicts', '-f', manifest]);
    expect(forced.code).toBe(0);
    expect(api.store.find('apps/v1', 'Deployment', 'csa', 'api')!.spec).toMatchObject({ replicas: 1 });
  });

  it('answers kubectl auth can-i and imperative creates sent as protobuf', async () => {
    const canI = await kubectl(config, ['auth', 'can-i', 'delete', 'nodes']);
    expect(canI.stdout.trim()).toBe('yes');
    const secret = await kubectl(config, [
      'create',
      'secret',
      'generic',
      'creds',
      '-n',
      'shop',
      '--from-literal=user=admin',
    ]);
    expect(secret.stdout.trim()).toBe('secret/creds created');
    expect(api.store.find('v1', 'Secret', 'shop', 'creds')!.data).toEqual({
      user: Buffer.from('admin').toString('base64'),
    });
  });

  it('applies, lists and deletes every kind seco reads, namespaced and cluster-scoped', async () => {
    const manifest = join(FIXTURES, 'cluster-policy.yaml');
    const applied = await kubectl(config, ['apply', '-f', manifest]);
    expect(applied.stderr).toBe('');
    expect(applied.stdout).toContain('peerauthentication.security.istio.io/default created');
    expect(applied.stdout).toContain('clusterrolebinding.rbac.authorization.k8s.io/seco-reader created');
    const listed = await kubectl(config, ['get', 'pa,netpol,sa,lease,cronjob', '-n', 'mesh', '-o', 'name']);
    expect(listed.stdout.trim().split('\n')).toEqual([
      'peerauthentication.security.istio.io/default',
      'networkpolicy.networking.k8s.io/default-deny',
      'serviceaccount/seco',
      'lease.coordination.k8s.io/seco-aggregator-leader',
      'cronjob.batch/nightly',
    ]);
    const table = await kubectl(config, ['get', 'peerauthentications', '-A']);
    expect(table.stdout).toMatch(/NAMESPACE\s+NAME\s+MODE\s+AGE\nmesh\s+default\s+STRICT\s+/);
    const deleted = await kubectl(config, ['delete', '-f', manifest]);
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toContain('clusterrole.rbac.authorization.k8s.io "seco-reader" deleted');
    const gone = await kubectl(config, ['get', 'clusterroles', '-o', 'name']);
    expect(gone.stdout).not.toContain('seco-reader');
  });

  it('deletes objects and kubectl sees them gone', async () => {
    const deleted = await kubectl(config, ['delete', 'pod', 'db-1', '-n', 'shop']);
    expect(deleted.stdout.trim()).toBe('pod "db-1" deleted');
    const after = await kubectl(config, ['get', 'pods', '-n', 'shop', '-o', 'name']);
    expect(after.stdout).not.toContain('db-1');
  });

  it('streams changes to kubectl get -w', async () => {
    const watcher = spawn('/usr/bin/kubectl', [
      '--kubeconfig',
      config,
      'get',
      'pods',
      '-n',
      'shop',
      '-w',
      '--output-watch-events',
    ]);
    let output = '';
    watcher.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const waitFor = async (text: string) => {
      for (let i = 0; i < 100 && !output.includes(text); i++) await new Promise((r) => setTimeout(r, 50));
      return output;
    };
    await waitFor('web-2');
    api.store.put(pod('web-3', 'shop', { app: 'web' }, 'n2'));
    await waitFor('web-3');
    watcher.kill('SIGTERM');
    expect(output).toMatch(/EVENT\s+NAME\s+READY\s+STATUS/);
    expect(output).toMatch(/ADDED\s+web-3\s+1\/1\s+Running/);
  });
});
