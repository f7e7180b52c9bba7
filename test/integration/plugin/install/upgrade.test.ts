import { readFileSync } from 'node:fs';
import { describe, expect, it, jest } from '@jest/globals';
import type { KubeObject } from '../../../../core/kube/types.js';
import { installStack, uninstallStack } from '../../../../plugin/install/install-stack.js';
import { manifestsDir } from '../../../../plugin/install/manifests-dir.js';
import { prepareStack } from '../../../../plugin/install/prepare-stack.js';
import { renderBase } from '../../../../plugin/install/render-base.js';
import type { StackSettings } from '../../../../plugin/install/stack-settings.js';
import { installTargetsForSuite, stackImages } from './stack-registry.js';

// Every install makes NATS keys and certificates (seconds each on a loaded machine).
jest.setTimeout(180_000);

const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
const NS = 'seco-system';

const targets = installTargetsForSuite(version);

const lines: string[] = [];
const install = async (extra: Partial<StackSettings> = {}) => {
  const { base } = await prepareStack(
    manifestsDir(),
    { namespace: NS, version, imageRegistry: targets.stack.registry.host, ...extra },
    { kc: targets.kc, note: () => {} },
  );
  lines.length = 0;
  await installStack(base, { kc: targets.kc, log: (line) => lines.push(line) });
};

const AGENTS_NS = 'seco-agents';
const find = (apiVersion: string, kind: string, name: string) =>
  targets.api.store.find(apiVersion, kind, kind === 'DaemonSet' ? AGENTS_NS : NS, name);
const secret = () => find('v1', 'Secret', 'seco-minio-credentials');
const claim = (name: string) => find('v1', 'PersistentVolumeClaim', name);
const template = (kind: string, name: string) =>
  (find('apps/v1', kind, name)?.spec as { template: unknown } | undefined)?.template;
const claimTemplates = (name: string) =>
  (find('apps/v1', 'StatefulSet', name)!.spec as { volumeClaimTemplates: unknown }).volumeClaimTemplates;

/** What the StatefulSet controller makes from a volumeClaimTemplate for pod 0 (the harness runs no controllers). */
function claimFor(statefulSet: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name: `data-${statefulSet}-0`,
      namespace: NS,
      labels: { 'app.kubernetes.io/part-of': 'seco' },
    },
    spec: {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '10Gi' } },
      volumeName: `pv-${statefulSet}`,
    },
    status: { phase: 'Bound' },
  };
}

describe('upgrading an installed stack', () => {
  let firstSecret: KubeObject;
  let firstAgentTemplate: unknown;
  let firstNatsTemplate: unknown;
  let minioClaimUid: unknown;

  it('installs, and the StatefulSets get their volumes', async () => {
    await install();
    firstSecret = secret()!;
    firstAgentTemplate = template('DaemonSet', 'seco-agent');
    firstNatsTemplate = template('StatefulSet', 'seco-nats');
    for (const name of ['seco-nats', 'seco-minio']) targets.api.store.put(claimFor(name));
    minioClaimUid = claim('data-seco-minio-0')?.metadata?.uid;
    expect(minioClaimUid).toBeDefined();
    expect(lines).toContain(`Secret/${NS}/seco-minio-credentials created (random keys)`);
  });

  it('re-installing with a new seco build rolls the agents and keeps the volumes and credentials', async () => {
    const claimsBefore = ['seco-nats', 'seco-minio'].map((n) => claim(`data-${n}-0`));
    const newDigest = await targets.stack.push(stackImages(version).seco, 'seco build 2');
    await install();
    expect(lines).toContain(`Secret/${NS}/seco-minio-credentials kept`);
    expect(secret()!.data).toEqual(firstSecret.data);
    expect(secret()!.metadata?.uid).toBe(firstSecret.metadata?.uid);
    expect(['seco-nats', 'seco-minio'].map((n) => claim(`data-${n}-0`))).toEqual(claimsBefore);
    // The DaemonSet's pod template changed (the image digest), so its controller rolls every agent…
    expect(template('DaemonSet', 'seco-agent')).not.toEqual(firstAgentTemplate);
    expect(JSON.stringify(template('DaemonSet', 'seco-agent'))).toContain(newDigest);
    // …and NATS, whose image did not move, changes only by the new certificates' CA fingerprint.
    const withoutFingerprint = (t: unknown) =>
      JSON.parse(JSON.stringify(t).replace(/"seco\.dev\/bus-trust":"[0-9a-f]+"/, '"seco.dev/bus-trust":""'));
    expect(withoutFingerprint(template('StatefulSet', 'seco-nats'))).toEqual(
      withoutFingerprint(firstNatsTemplate),
    );
    expect(lines[0]).toMatch(/^bus keys kept/);
  });

  it('keeps the installed volume templates when an upgrade asks for another size or class', async () => {
    const before = claimTemplates('seco-nats');
    await install({ storageClass: 'fast', overrides: [{ key: 'nats.storage', value: '50Gi' }] });
    expect(claimTemplates('seco-nats')).toEqual(before);
    expect(lines).toContain(
      `StatefulSet/${NS}/seco-nats: volumes kept as installed (data: 10Gi on the default storage class), not data: 50Gi on fast: a StatefulSet's volume templates cannot change; resize or migrate its PersistentVolumeClaims directly`,
    );
    expect(lines).toContain(`StatefulSet/${NS}/seco-nats applied`);
  });

  it('uninstall --keep-data leaves the volumes, the credentials and the namespace', async () => {
    lines.length = 0;
    await uninstallStack(await renderBase(manifestsDir()), {
      kc: targets.kc,
      log: (l) => lines.push(l),
      keepData: true,
    });
    expect(lines).toContain(`DaemonSet/${AGENTS_NS}/seco-agent deleted`);
    expect(lines).toContain(
      `Secret/${NS}/seco-bus-keys kept (--keep-data): JetStream's data belongs to its account`,
    );
    expect(lines).toContain(`StatefulSet/${NS}/seco-nats deleted`);
    expect(lines).toContain(`Secret/${NS}/seco-minio-credentials kept (--keep-data)`);
    expect(lines.at(-1)).toBe(`Namespace/${NS} kept (--keep-data): it holds the NATS and Minio volumes`);
    expect(find('apps/v1', 'DaemonSet', 'seco-agent')).toBeUndefined();
    expect(find('apps/v1', 'StatefulSet', 'seco-minio')).toBeUndefined();
    expect(claim('data-seco-nats-0')).toBeDefined();
    expect(claim('data-seco-minio-0')).toBeDefined();
    expect(secret()!.data).toEqual(firstSecret.data);
    expect(targets.api.store.find('v1', 'Namespace', '', NS)?.metadata?.deletionTimestamp).toBeUndefined();
  });

  it('a later install picks the kept data up again with the same credentials', async () => {
    await install();
    expect(lines).toContain(`Secret/${NS}/seco-minio-credentials kept`);
    expect(secret()!.data).toEqual(firstSecret.data);
    expect(claim('data-seco-minio-0')?.metadata?.uid).toBe(minioClaimUid);
  });
});
