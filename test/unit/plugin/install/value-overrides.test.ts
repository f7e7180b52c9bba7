import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../../core/kube/types.js';
import Install from '../../../../plugin/commands/install.js';
import { applyOverrides, KNOWN_KEYS, parseOverrides } from '../../../../plugin/install/value-overrides.js';

const workload = (
  kind: string,
  name: string,
  container: string,
  extra: Record<string, unknown> = {},
): KubeObject => ({
  apiVersion: 'apps/v1',
  kind,
  metadata: { name },
  spec: {
    template: { spec: { containers: [{ name: container, resources: { limits: { cpu: '1' } } }] } },
    ...extra,
  },
});

const stack = () => [
  workload('Deployment', 'seco-aggregator', 'aggregator', { replicas: 2 }),
  workload('DaemonSet', 'seco-agent', 'agent'),
  workload('StatefulSet', 'seco-nats', 'nats', {
    volumeClaimTemplates: [
      { metadata: { name: 'data' }, spec: { resources: { requests: { storage: '10Gi' } } } },
    ],
  }),
];

interface WorkloadSpec {
  replicas?: number;
  template: { spec: { containers: Array<{ resources: Record<string, Record<string, string>> }> } };
  volumeClaimTemplates: Array<{ spec: { resources: { requests: { storage: string } } } }>;
}
const spec = (o: KubeObject) => o.spec as WorkloadSpec;

describe('--set overrides', () => {
  it('sets replicas, a container resource and a volume size', () => {
    const objects = stack();
    applyOverrides(
      objects,
      parseOverrides([
        'aggregator.replicas=3',
        'aggregator.resources.limits.memory=2Gi',
        'agent.resources.requests.cpu=100m',
        'nats.storage=20Gi',
      ]),
    );
    expect(spec(objects[0]!).replicas).toBe(3);
    expect(spec(objects[0]!).template.spec.containers[0]!.resources.limits).toEqual({
      cpu: '1',
      memory: '2Gi',
    });
    expect(spec(objects[1]!).template.spec.containers[0]!.resources.requests).toEqual({ cpu: '100m' });
    expect(spec(objects[2]!).volumeClaimTemplates[0]!.spec.resources.requests.storage).toBe('20Gi');
  });

  it('names an unknown key and lists the known ones', () => {
    expect(() => parseOverrides(['aggregator.memory=1Gi'])).toThrow(
      `--set "aggregator.memory": unknown key; known keys: ${KNOWN_KEYS.join(', ')}`,
    );
    expect(KNOWN_KEYS).toContain('minio.resources.limits.cpu');
    expect(KNOWN_KEYS).toContain('minio.storage');
  });

  it('refuses values Kubernetes would refuse', () => {
    expect(() => parseOverrides(['aggregator.replicas=0'])).toThrow(
      '--set aggregator.replicas="0": expected a whole number from 1 to 100',
    );
    expect(() => parseOverrides(['agent.resources.limits.cpu=1Gi'])).toThrow(/expected a CPU quantity/);
    expect(() => parseOverrides(['nats.storage=lots'])).toThrow(/expected a storage quantity/);
    expect(() => parseOverrides(['aggregator.replicas'])).toThrow(
      '--set "aggregator.replicas": expected KEY=VALUE',
    );
  });

  it('refuses a request above its limit, once every --set is applied', () => {
    expect(() =>
      applyOverrides(stack(), parseOverrides(['aggregator.resources.requests.cpu=1500m'])),
    ).toThrow(
      '--set: aggregator.resources.requests.cpu (1500m) is above aggregator.resources.limits.cpu (1); Kubernetes refuses that, raise the limit too',
    );
    const objects = stack();
    applyOverrides(
      objects,
      parseOverrides(['aggregator.resources.requests.cpu=1500m', 'aggregator.resources.limits.cpu=2']),
    );
    expect(spec(objects[0]!).template.spec.containers[0]!.resources.requests).toEqual({ cpu: '1500m' });
    expect(() =>
      applyOverrides(
        stack(),
        parseOverrides(['agent.resources.limits.memory=1.5Gi', 'agent.resources.requests.memory=1600Mi']),
      ),
    ).toThrow(
      /agent\.resources\.requests\.memory \(1600Mi\) is above agent\.resources\.limits\.memory \(1\.5Gi\)/,
    );
  });

  it('says when the component is not deployed', () => {
    expect(() => applyOverrides([], parseOverrides(['minio.storage=1Gi']))).toThrow(
      '--set minio.storage: StatefulSet/seco-minio is not deployed (--s3-endpoint uses your own)',
    );
  });

  it('are the keys install --help lists', () => {
    const listed = /--set KEY=VALUE keys: ([^.]+(?:\.[^ ][^.]*)*)\./.exec(Install.description!)![1]!;
    const expand = (pattern: string): string[] => {
      const brace = /\{([^}]+)\}/.exec(pattern);
      if (!brace) return [pattern];
      return brace[1]!.split(',').flatMap((choice) => expand(pattern.replace(brace[0], choice)));
    };
    const keys = listed.split(/;\s*/).flatMap(expand);
    expect(new Set(keys)).toEqual(new Set(KNOWN_KEYS));
  });
});
