import { describe, expect, it } from '@jest/globals';
import type { PlannedJob } from '../../../aggregator/job-planner.js';
import { withPullCredentials } from '../../../aggregator/pull-credentials.js';
import type { KubeView } from '../../../core/kube/kube-view.js';
import type { KubeObject } from '../../../core/kube/types.js';
import { PROTOCOL_VERSION } from '../../../core/protocol/index.js';

const b64 = (text: string) => Buffer.from(text).toString('base64');
const dockerConfig = (auths: Record<string, unknown>) => b64(JSON.stringify({ auths }));

function secret(name: string, type: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'shop' }, type, data };
}

const SECRETS: KubeObject[] = [
  secret('regcred', 'kubernetes.io/dockerconfigjson', {
    '.dockerconfigjson': dockerConfig({
      'registry.local:5000': { username: 'puller', password: 's3cret-pass' },
      'other.example': { auth: b64('someone:else') },
    }),
  }),
  secret('broken', 'kubernetes.io/dockerconfigjson', { '.dockerconfigjson': b64('{"auths": hunter2') }),
  secret('opaque', 'Opaque', { password: b64('x') }),
];

const kube: KubeView = {
  list: async () => [],
  get: async (kind, namespace, name) =>
    SECRETS.find(
      (s) => kind === 'Secret' && s.metadata?.namespace === namespace && s.metadata?.name === name,
    ),
};

function imageJob(image: string, secrets: string[]): PlannedJob {
  const jobId = `image-${secrets.join('-')}`;
  return {
    jobId,
    job: {
      v: PROTOCOL_VERSION,
      kind: 'image',
      jobId,
      scanId: 's1',
      node: 'node-a',
      image,
      pullSecrets: secrets.map((name) => ({ namespace: 'shop', name })),
    },
    record: { kind: 'image', node: 'node-a', image, state: 'queued', queuedAt: 0 },
  };
}

describe('withPullCredentials', () => {
  it('puts only the credentials matching the image registry into the job', async () => {
    const { planned, problems } = await withPullCredentials(kube, [
      imageJob('registry.local:5000/shop/app:1.0', ['regcred']),
    ]);
    expect(planned[0]!.job).toMatchObject({
      credentials: [{ registry: 'registry.local:5000', username: 'puller', password: 's3cret-pass' }],
    });
    expect(problems).toEqual([]);
  });

  it('leaves a job for another registry without credentials', async () => {
    const { planned } = await withPullCredentials(kube, [imageJob('quay.io/x/y:1', ['regcred'])]);
    expect(planned[0]!.job).not.toHaveProperty('credentials');
  });

  it('warns, naming the secret and never its contents, when a pull secret is missing or malformed', async () => {
    const { planned, problems } = await withPullCredentials(kube, [
      imageJob('registry.local:5000/shop/app:1.0', ['gone', 'broken', 'opaque', 'regcred']),
    ]);
    expect(planned[0]!.job).toMatchObject({ credentials: [{ username: 'puller' }] });
    expect(problems.map((p) => p.source)).toEqual([
      'secret shop/gone',
      'secret shop/broken',
      'secret shop/opaque',
    ]);
    expect(problems.every((p) => p.kind === 'warning')).toBe(true);
    expect(problems[0]!.message).toMatch(/does not exist: the image is pulled without it/);
    expect(JSON.stringify(problems)).not.toMatch(/hunter2|s3cret/);
  });

  it('reads each Secret once for many jobs and passes other jobs through untouched', async () => {
    let reads = 0;
    const counting: KubeView = {
      ...kube,
      get: async (...args) => {
        reads++;
        return kube.get(...args);
      },
    };
    const host: PlannedJob = {
      jobId: 'host-1',
      job: { v: PROTOCOL_VERSION, kind: 'host', jobId: 'host-1', scanId: 's1', node: 'node-a' },
      record: { kind: 'host', node: 'node-a', state: 'queued', queuedAt: 0 },
    };
    const { planned } = await withPullCredentials(counting, [
      host,
      imageJob('registry.local:5000/a:1', ['regcred']),
      imageJob('registry.local:5000/b:1', ['regcred']),
    ]);
    expect(reads).toBe(1);
    expect(planned[0]).toBe(host);
  });
});
