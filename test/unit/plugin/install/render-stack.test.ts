import { describe, expect, it } from '@jest/globals';
import { containersOf, podTemplateOf } from '../../../../core/kube/pod-template.js';
import type { EnvVar, KubeObject } from '../../../../core/kube/types.js';
import { renderYaml } from '../../../../plugin/install/install-stack.js';
import { manifestsDir } from '../../../../plugin/install/manifests-dir.js';
import { deploysMinio, renderStack } from '../../../../plugin/install/render-stack.js';
import type { StackSettings } from '../../../../plugin/install/stack-settings.js';

const settings = (extra: Partial<StackSettings> = {}): StackSettings => ({
  namespace: 'seco-system',
  version: '1.2.3',
  ...extra,
});

const images = (objects: KubeObject[]) =>
  Object.fromEntries(
    objects.flatMap((o) => {
      const template = podTemplateOf(o);
      return template
        ? containersOf(template.spec).map(({ container }) => [container.name, container.image])
        : [];
    }),
  );

const env = (objects: KubeObject[], workload: string): Record<string, EnvVar> => {
  const object = objects.find((o) => o.metadata?.name === workload && podTemplateOf(o))!;
  const container = containersOf(podTemplateOf(object)!.spec)[0]!.container as { env: EnvVar[] };
  return Object.fromEntries(container.env.map((e) => [e.name, e]));
};

const names = (objects: KubeObject[]) => objects.map((o) => `${o.kind}/${o.metadata?.name}`);

describe('renderStack', () => {
  it("tags seco's image with the build's version", async () => {
    const { objects } = await renderStack(manifestsDir(), settings());
    expect(images(objects)).toEqual({
      aggregator: 'ghcr.io/seco-dev/seco:1.2.3',
      agent: 'ghcr.io/seco-dev/seco:1.2.3',
      tools: 'ghcr.io/seco-dev/seco-tools:1.2.3',
      nats: 'docker.io/library/nats:2.10.24-alpine',
      minio: 'quay.io/minio/minio:RELEASE.2024-12-18T13-15-44Z',
    });
  });

  it('rewrites all five images to a mirror, keeping their repository paths', async () => {
    const { objects } = await renderStack(
      manifestsDir(),
      settings({ imageRegistry: 'mirror.corp:5000/vendor' }),
    );
    expect(images(objects)).toEqual({
      aggregator: 'mirror.corp:5000/vendor/seco-dev/seco:1.2.3',
      agent: 'mirror.corp:5000/vendor/seco-dev/seco:1.2.3',
      tools: 'mirror.corp:5000/vendor/seco-dev/seco-tools:1.2.3',
      nats: 'mirror.corp:5000/vendor/library/nats:2.10.24-alpine',
      minio: 'mirror.corp:5000/vendor/minio/minio:RELEASE.2024-12-18T13-15-44Z',
    });
  });

  it('uses --image exactly as given, even with a mirror for the others', async () => {
    const { objects } = await renderStack(
      manifestsDir(),
      settings({ image: 'registry.corp/sec/seco:dev', imageRegistry: 'mirror.corp' }),
    );
    expect(images(objects).aggregator).toBe('registry.corp/sec/seco:dev');
    expect(images(objects).agent).toBe('registry.corp/sec/seco:dev');
    expect(images(objects).nats).toBe('mirror.corp/library/nats:2.10.24-alpine');
  });

  it('deploys no NATS with --nats-url and points the aggregator and agents at it', async () => {
    const { objects } = await renderStack(
      manifestsDir(),
      settings({ nats: { url: 'nats://nats.infra:4222' } }),
    );
    expect(names(objects).filter((n) => n.includes('nats'))).toEqual([]);
    for (const workload of ['seco-aggregator', 'seco-agent', 'seco-tools'])
      expect(env(objects, workload).SECO_NATS).toEqual({
        name: 'SECO_NATS',
        value: 'nats://nats.infra:4222',
      });
    expect(names(objects)).toContain('StatefulSet/seco-minio');
    expect(names(objects)).toContain('NetworkPolicy/seco-default-deny');
    // The install's NATS users mean nothing to the user's NATS: none are set.
    expect(env(objects, 'seco-aggregator').SECO_NATS_CREDS).toBeUndefined();
    expect(env(objects, 'seco-agent').SECO_NATS_ENROLL_CREDS).toBeUndefined();
  });

  it('deploys no Minio with --s3-endpoint and reads the keys from the named Secret', async () => {
    const base = await renderStack(
      manifestsDir(),
      settings({ s3: { endpoint: 'https://s3.corp', credentialsSecret: 'seco-s3' }, s3Bucket: 'results' }),
    );
    expect(names(base.objects).filter((n) => n.includes('minio'))).toEqual([]);
    expect(deploysMinio(base)).toBe(false);
    // Only the aggregator holds store keys; agents get pre-signed URLs (SECURITY.md).
    const agent = env(base.objects, 'seco-agent');
    expect(Object.keys(agent).filter((name) => name.startsWith('SECO_S3_'))).toEqual([]);
    for (const workload of ['seco-aggregator']) {
      const vars = env(base.objects, workload);
      expect(vars.SECO_S3_ENDPOINT?.value).toBe('https://s3.corp');
      expect(vars.SECO_S3_BUCKET?.value).toBe('results');
      expect(vars.SECO_S3_ACCESS_KEY?.valueFrom).toEqual({
        secretKeyRef: { name: 'seco-s3', key: 'access-key' },
      });
      expect(vars.SECO_S3_SECRET_KEY?.valueFrom).toEqual({
        secretKeyRef: { name: 'seco-s3', key: 'secret-key' },
      });
    }
    expect(renderYaml(base)).not.toContain('seco-minio-credentials');
  });

  it('puts both volumes on --storage-class', async () => {
    const { objects } = await renderStack(manifestsDir(), settings({ storageClass: 'fast-ssd' }));
    const classes = objects
      .filter((o) => o.kind === 'StatefulSet')
      .flatMap(
        (o) =>
          (o.spec as { volumeClaimTemplates: Array<{ spec: { storageClassName: string } }> })
            .volumeClaimTemplates,
      )
      .map((t) => t.spec.storageClassName);
    expect(classes).toEqual(['fast-ssd', 'fast-ssd']);
    await expect(renderStack(manifestsDir(), settings({ storageClass: 'Fast SSD' }))).rejects.toThrow(
      '--storage-class "Fast SSD": not a valid StorageClass name',
    );
  });

  it('sets --image-pull-secret on every pod', async () => {
    const { objects } = await renderStack(manifestsDir(), settings({ imagePullSecret: 'mirror-pull' }));
    const workloads = objects.filter((o) => podTemplateOf(o));
    expect(workloads).toHaveLength(5);
    for (const o of workloads)
      expect(podTemplateOf(o)!.spec.imagePullSecrets).toEqual([{ name: 'mirror-pull' }]);
  });

  it('applies --set values after everything else', async () => {
    const { objects } = await renderStack(
      manifestsDir(),
      settings({ overrides: [{ key: 'aggregator.replicas', value: '3' }] }),
    );
    expect((objects.find((o) => o.kind === 'Deployment')!.spec as { replicas: number }).replicas).toBe(3);
  });
});
