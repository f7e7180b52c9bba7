import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { parseReference } from '../../../core/image/source/reference.js';
import { RegistrySource } from '../../../core/image/source/registry.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { importOsv } from '../../../core/vuln/vuln-db.js';
import { publishVulnDb } from '../../../core/vuln/vuln-db-store.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type CountingProxy, startCountingProxy } from '../../harness/registry/counting-proxy.js';
import { pullSecret, shopApp } from '../../harness/registry/pulling-app.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';

const creds = { username: 'puller', password: 's3cret-pass' };
let nats: RunningNats;
let s3: RunningS3;
let registry: RunningRegistry;
let proxy: CountingProxy;
let built: BuiltImage;
let dir: string;
let stack: RunningStack | undefined;

beforeAll(async () => {
  built = buildTestImage();
  dir = mkdtempSync(join(tmpdir(), 'seco-image-jobs-'));
  [nats, s3, registry] = await Promise.all([
    startNats(),
    startS3('seco'),
    startRegistry({ basicAuth: creds }),
  ]);
  await pushImage(built.layout, 'test', `${registry.host}/shop/app:1.0`, creds);
  proxy = await startCountingProxy(registry.host);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await proxy?.stop();
  await registry?.stop();
  await nats?.stop();
  await s3?.stop();
  built?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('image jobs in scan ns/app (NATS JetStream + S3, registry with htpasswd auth)', () => {
  it('pulls with the pod imagePullSecret, matches the stored vuln DB, and answers a rescan from the stored SBOM', async () => {
    const store = new S3ObjectStore({
      endpoint: s3.endpoint,
      bucket: 'seco',
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    });
    await importOsv('test/fixtures/vuln/osv/lodash', join(dir, 'vulndb'));
    await publishVulnDb(join(dir, 'vulndb'), store);
    const image = `${proxy.host}/shop/app:1.0`;
    const digest = await new RegistrySource(parseReference(image), {
      credentials: creds,
      insecure: true,
    }).imageDigest({ os: 'linux', architecture: 'amd64' });
    const objects = [
      ...withRunningPods([shopApp(image, ['gone', 'regcred'])], {
        nodes: ['node-a'],
        digests: { [image]: digest },
      }),
      pullSecret(proxy.host, creds),
    ];
    stack = await startStack({
      bus: () => NatsBus.connect(nats.url, { ackWaitMs: 10_000, maxDeliver: 3 }),
      store,
      objects,
      nodes: [{ name: 'node-a', fixture: 'hardened' }],
      agent: { insecureRegistries: [proxy.host], cacheDir: join(dir, 'agent-cache') },
    });
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const blobsBefore = proxy.blobRequests();
    const first = await client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['image'] });

    const lodash = first.findings.find((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm');
    expect(lodash).toMatchObject({
      scanner: 'image',
      resource: { kind: 'Image', image: expect.stringContaining(digest) },
    });
    expect(lodash?.remediation).toContain('4.17.21');
    expect(first.findings.some((f) => f.ruleId === 'image-user-root')).toBe(true);
    expect(proxy.blobRequests()).toBeGreaterThan(blobsBefore);
    expect(first.problems).toContainEqual(
      expect.objectContaining({ kind: 'warning', source: 'secret shop/gone' }),
    );
    expect(first.problems.filter((p) => p.kind === 'error')).toEqual([]);
    expect(JSON.stringify(first)).not.toContain(creds.password);

    const blobsAfterFirst = proxy.blobRequests();
    const second = await client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['image'] });
    client.close();
    expect(proxy.blobRequests()).toBe(blobsAfterFirst);
    expect(second.findings.map((f) => f.id).sort()).toEqual(first.findings.map((f) => f.id).sort());
  }, 120_000);

  it('pulls anonymously when the pull secret is missing: the job fails naming the registry, the report names the secret', async () => {
    await stack?.stop();
    const store = new S3ObjectStore({
      endpoint: s3.endpoint,
      bucket: 'seco',
      accessKey: s3.accessKey,
      secretKey: s3.secretKey,
    });
    // Even with the image's SBOM stored, its digest is learned from the registry, which wants a login.
    await pushImage(built.layout, 'test', `${registry.host}/shop/other:2.0`, creds);
    const image = `${proxy.host}/shop/other:2.0`;
    const digest = await new RegistrySource(parseReference(image), {
      credentials: creds,
      insecure: true,
    }).imageDigest({ os: 'linux', architecture: 'amd64' });
    stack = await startStack({
      bus: () => NatsBus.connect(nats.url, { ackWaitMs: 10_000, maxDeliver: 3 }),
      store,
      objects: withRunningPods([shopApp(image, ['gone'])], {
        nodes: ['node-a'],
        digests: { [image]: digest },
      }),
      nodes: [{ name: 'node-a', fixture: 'hardened' }],
      agent: { insecureRegistries: [proxy.host], cacheDir: join(dir, 'agent-cache') },
    });
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const report = await client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['image'] });
    client.close();
    expect(report.findings).toEqual([]);
    expect(report.problems).toContainEqual(
      expect.objectContaining({ kind: 'warning', source: 'secret shop/gone' }),
    );
    const failed = report.problems.find((p) => p.kind === 'error');
    expect(failed?.message).toMatch(new RegExp(`${proxy.host.replace(/\./g, '\\.')} requires credentials`));
  }, 120_000);
});
