import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import type { KubeConfig } from '@kubernetes/client-node';
import { loadKubeConfig } from '../../../../core/kube/load-kube-config.js';
import { installStack, renderYaml } from '../../../../plugin/install/install-stack.js';
import { manifestsDir } from '../../../../plugin/install/manifests-dir.js';
import { renderStack } from '../../../../plugin/install/render-stack.js';
import type { StackSettings } from '../../../../plugin/install/stack-settings.js';
import { type RunningKubeApi, startKubeApi } from '../../../harness/kube-api/start-kube-api.js';
import { kubectl } from '../../harness/run-kubectl.js';

// Every install makes NATS keys and certificates (seconds each on a loaded machine).
jest.setTimeout(180_000);

const NS = 'security';
let api: RunningKubeApi;
let kc: KubeConfig;
beforeAll(async () => {
  api = await startKubeApi({ seed: [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }] });
  kc = loadKubeConfig({ kubeconfig: api.kubeconfigPath() });
});
afterAll(async () => api?.stop());

const settings: StackSettings = {
  namespace: NS,
  version: '0.1.0',
  nats: { url: 'nats://nats.infra:4222' },
  s3: { endpoint: 'https://s3.corp:9000', credentialsSecret: 'seco-s3' },
  s3Bucket: 'seco-results',
};

describe('install with the NATS and S3 the user already runs', () => {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);

  it('refuses before applying anything when the S3 credentials Secret is missing', async () => {
    const base = await renderStack(manifestsDir(), settings);
    await expect(installStack(base, { kc, log, s3CredentialsSecret: 'seco-s3' })).rejects.toThrow(
      '--s3-credentials-secret: Secret security/seco-s3 not found; create it first',
    );
    expect(lines).toEqual([]);
  });

  it('names a key the Secret lacks', async () => {
    api.store.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'seco-s3', namespace: NS },
      data: { 'access-key': Buffer.from('AKIA').toString('base64') },
    });
    const base = await renderStack(manifestsDir(), settings);
    await expect(installStack(base, { kc, log, s3CredentialsSecret: 'seco-s3' })).rejects.toThrow(
      '--s3-credentials-secret: Secret security/seco-s3 has no secret-key',
    );
  });

  it('deploys no NATS or Minio, makes no Minio credentials, and points the pods at the given servers', async () => {
    api.store.put({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'seco-s3', namespace: NS },
      data: { 'access-key': 'QUtJQQ==', 'secret-key': 'c2VjcmV0' },
    });
    await installStack(await renderStack(manifestsDir(), settings), {
      kc,
      log,
      s3CredentialsSecret: 'seco-s3',
    });
    expect(lines.join('\n')).not.toContain('seco-minio-credentials');
    const names = await kubectl(api.kubeconfigPath(), [
      'get',
      'sts,svc,netpol,cm,secret',
      '-n',
      NS,
      '-o',
      'name',
    ]);
    // No NATS or Minio Secret: only the aggregator's CA (with public roots for the external servers), the keys' record.
    expect(names.stdout.split('\n').filter(Boolean).sort()).toEqual([
      'networkpolicy.networking.k8s.io/seco-aggregator',
      'networkpolicy.networking.k8s.io/seco-aggregator-egress',
      'networkpolicy.networking.k8s.io/seco-default-deny',
      'networkpolicy.networking.k8s.io/seco-tools-egress',
      'secret/seco-aggregator-bus',
      'secret/seco-aggregator-tls',
      'secret/seco-bus-keys',
      'secret/seco-s3',
      'secret/seco-tools-bus',
      'service/seco-aggregator',
    ]);
    const agent = await kubectl(api.kubeconfigPath(), [
      'get',
      'ds',
      'seco-agent',
      '-n',
      'seco-agents',
      '-o',
      'json',
    ]);
    const env = Object.fromEntries(
      (
        JSON.parse(agent.stdout).spec.template.spec.containers[0].env as Array<{
          name: string;
          value?: string;
          valueFrom?: unknown;
        }>
      ).map((e) => [e.name, e.value ?? e.valueFrom]),
    );
    // Agents hold no store keys (pre-signed URLs from the aggregator), external store or not.
    expect(env).toMatchObject({ SECO_NATS: 'nats://nats.infra:4222' });
    expect(Object.keys(env).filter((name) => name.startsWith('SECO_S3_'))).toEqual([]);
  });

  it('switching an installed stack to external servers deletes the bundled ones and keeps their data', async () => {
    const bundled = { namespace: NS, version: '0.1.0' };
    await installStack(await renderStack(manifestsDir(), bundled), { kc, log });
    api.store.put({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'data-seco-minio-0', namespace: NS },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '20Gi' } } },
    });
    const printed = renderYaml(await renderStack(manifestsDir(), settings));
    expect(printed).toContain(`# Deleted if present (an earlier install's): StatefulSet/${NS}/seco-minio\n`);
    lines.length = 0;
    await installStack(await renderStack(manifestsDir(), settings), {
      kc,
      log,
      s3CredentialsSecret: 'seco-s3',
    });
    for (const name of [
      'StatefulSet/security/seco-nats',
      'StatefulSet/security/seco-minio',
      'Service/security/seco-minio',
      'NetworkPolicy/security/seco-nats',
    ])
      expect(lines).toContain(`${name} deleted (replaced by the external server; its volume is kept)`);
    for (const name of ['Secret/security/seco-nats-tls', 'Secret/security/seco-minio-tls'])
      expect(lines).toContain(`${name} deleted (its server is external now)`);
    expect(api.store.find('apps/v1', 'StatefulSet', NS, 'seco-minio')).toBeUndefined();
    expect(api.store.find('v1', 'PersistentVolumeClaim', NS, 'data-seco-minio-0')).toBeDefined();
    expect(api.store.find('v1', 'Secret', NS, 'seco-minio-credentials')).toBeDefined();
  });
});
