import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseAllDocuments } from 'yaml';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';
import { kubectl } from '../../integration/harness/run-kubectl.js';
import { runCli } from './run-cli.js';

let api: RunningKubeApi;
beforeAll(async () => {
  api = await startKubeApi();
});
afterAll(async () => api?.stop());

describe('kubectl seco install / uninstall (built CLI against the API harness)', () => {
  it('--dry-run prints the stack as YAML and touches no cluster', async () => {
    const { code, stdout, stderr } = await runCli(
      ['install', '--dry-run', '--no-resolve', '-n', 'security'],
      {
        env: { KUBECONFIG: '/nonexistent' },
      },
    );
    expect(code).toBe(0);
    expect(stderr).toBe('--no-resolve: images keep their tags and are not pinned to digests\n');
    const objects = parseAllDocuments(stdout)
      .map((d) => d.toJS() as { kind: string; metadata: { name: string; namespace?: string } } | null)
      .filter((o) => o !== null);
    expect(objects.find((o) => o.kind === 'Deployment')?.metadata).toMatchObject({
      name: 'seco-aggregator',
      namespace: 'security',
    });
    // The generated credentials are named in a comment, never printed.
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });

  it('installs into the harness cluster, idempotently, and kubectl sees the result', async () => {
    const args = [
      'install',
      '--no-resolve',
      '--kubeconfig',
      api.kubeconfigPath(),
      '--context',
      'seco-harness',
    ];
    const first = await runCli(args);
    expect(first.stderr).toBe('--no-resolve: images keep their tags and are not pinned to digests\n');
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('Deployment/seco-system/seco-aggregator applied');
    expect(first.stdout).toContain('seco is installed in namespace seco-system');
    const again = await runCli(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('Secret/seco-system/seco-minio-credentials kept');
    const got = await kubectl(api.kubeconfigPath(), ['get', 'deploy', '-n', 'seco-system']);
    expect(got.stdout).toMatch(/^NAME\s+READY\s+UP-TO-DATE\s+AVAILABLE\s+AGE\n^seco-aggregator\s+0\/2\s+/m);
    const ds = await kubectl(api.kubeconfigPath(), [
      'get',
      'ds',
      'seco-agent',
      '-n',
      'seco-agents', // the agents' own namespace, the only privileged one
      '-o',
      'json',
    ]);
    const spec = JSON.parse(ds.stdout).spec.template.spec;
    expect(spec.hostPID).toBe(true);
    expect(spec.containers[0].env[0]).toEqual({
      name: 'SECO_NODE',
      valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } },
    });
  });

  it('names a missing context and exits 2', async () => {
    const { code, stderr } = await runCli([
      'install',
      '--kubeconfig',
      api.kubeconfigPath(),
      '--context',
      'prod',
    ]);
    expect(code).toBe(2);
    expect(stderr).toContain('context prod is not in the kubeconfig (it has: seco-harness)');
  });

  it('uninstalls', async () => {
    const { code, stdout } = await runCli(['uninstall', '--kubeconfig', api.kubeconfigPath()]);
    expect(code).toBe(0);
    expect(stdout).toContain('Namespace/seco-system deleted');
    expect(stdout).toContain('Namespace/seco-agents deleted');
    expect(api.store.find('apps/v1', 'Deployment', 'seco-system', 'seco-aggregator')).toBeUndefined();
    expect(api.store.find('apps/v1', 'DaemonSet', 'seco-agents', 'seco-agent')).toBeUndefined();
  });
});
