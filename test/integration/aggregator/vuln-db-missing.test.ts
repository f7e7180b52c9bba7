import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { parseReference } from '../../../core/image/source/reference.js';
import { RegistrySource } from '../../../core/image/source/registry.js';

import { Report } from '../../../core/model/index.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { runCli } from '../../e2e/cli/run-cli.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { shopApp } from '../../harness/registry/pulling-app.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';
import { type RunningS3, s3CliFlags, startS3 } from '../../harness/s3/start-s3rver.js';

let nats: RunningNats;
let s3: RunningS3;
let registry: RunningRegistry;
let built: BuiltImage;
let dir: string;
let stack: RunningStack | undefined;

beforeAll(async () => {
  built = buildTestImage();
  dir = mkdtempSync(join(tmpdir(), 'seco-no-vulndb-'));
  [nats, s3, registry] = await Promise.all([startNats(), startS3('seco'), startRegistry()]);
  await pushImage(built.layout, 'test', `${registry.host}/shop/app:1.0`);
}, 120_000);

afterAll(async () => {
  await stack?.stop();
  await registry?.stop();
  await nats?.stop();
  await s3?.stop();
  built?.remove();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function shopDigest(image: string): Promise<string> {
  return new RegistrySource(parseReference(image), { insecure: true }).imageDigest({
    os: 'linux',
    architecture: 'amd64',
  });
}

function newStore(): S3ObjectStore {
  return new S3ObjectStore({
    endpoint: s3.endpoint,
    bucket: 'seco',
    accessKey: s3.accessKey,
    secretKey: s3.secretKey,
  });
}

describe('an image job without a vulnerability database (NATS, S3, registry, the real CLI)', () => {
  it('keeps its problem across an aggregator restart: the replica that takes the scan over reports it', async () => {
    const image = `${registry.host}/shop/app:1.0`;
    stack = await startStack({
      bus: () => NatsBus.connect(nats.url, { ackWaitMs: 10_000, maxDeliver: 3 }),
      store: newStore(),
      objects: withRunningPods([shopApp(image, [])], {
        nodes: ['node-a'],
        digests: { [image]: await shopDigest(image) },
      }),
      nodes: [{ name: 'node-a', fixture: 'hardened' }],
      leaseMs: 2000,
      agent: { insecureRegistries: [registry.host], cacheDir: join(dir, 'takeover-cache') },
    });
    // The agent is away while the first replica queues the job and goes.
    await stack.stopAgent('node-a');
    const first = stack.aggregators[0]!;
    const client = await connectClient(first.url, stack.token);
    let scanId = '';
    const interrupted = client
      .scan({ namespace: 'shop', name: 'shop' }, { scanners: ['image'], onAccepted: (id) => (scanId = id) })
      .catch((e: Error) => e);
    while (!scanId) await new Promise((r) => setTimeout(r, 50));
    await first.stop();
    expect(await interrupted).toBeInstanceOf(Error);
    // The next replica takes the scan over from the store; the agent needs a replica up to get its job's
    // ticket (go-ahead, credentials, URLs), so it comes back once one is.
    const second = await stack.startAggregator('replica-b');
    await stack.startAgent({ name: 'node-a', fixture: 'hardened' });
    const store = newStore();
    const stored = async () => {
      for await (const key of store.list(`scans/${scanId}/jobs/`))
        if (key.endsWith('.ndjson.gz')) return true;
      return false;
    };
    while (!(await stored())) await new Promise((r) => setTimeout(r, 100));
    const follower = await connectClient(second.url, stack.token);
    let report: Report | undefined;
    while (!report) {
      report = await follower.getResult(scanId).catch(() => undefined);
      if (!report) await new Promise((r) => setTimeout(r, 250));
    }
    follower.close();
    expect(report.problems).toContainEqual(
      expect.objectContaining({
        kind: 'error',
        message: expect.stringContaining('inventoried but not matched against vulnerabilities'),
      }),
    );
    await stack.stop();
    stack = undefined;
  }, 120_000);

  it('is a problem in the report and exit 2 — and once the DB is published, the next scan matches', async () => {
    const image = `${registry.host}/shop/app:1.0`;
    const digest = await shopDigest(image);
    stack = await startStack({
      bus: () => NatsBus.connect(nats.url, { ackWaitMs: 10_000, maxDeliver: 3 }),
      store: newStore(),
      objects: withRunningPods([shopApp(image, [])], { nodes: ['node-a'], digests: { [image]: digest } }),
      nodes: [{ name: 'node-a', fixture: 'hardened' }],
      agent: { insecureRegistries: [registry.host], cacheDir: join(dir, 'agent-cache') },
    });
    const scan = () =>
      runCli([
        ...['scan', 'shop/shop', '--scanners', 'image', '-o', 'json'],
        ...['--aggregator-url', stack!.aggregators[0]!.url, '--token', stack!.token],
      ]);

    // Right after install: nothing published. The image is inventoried, not matched — and said so.
    const before = await scan();
    expect(before.code).toBe(2);
    const unmatched = Report.parse(JSON.parse(before.stdout));
    expect(unmatched.problems).toContainEqual({
      kind: 'error',
      source: expect.stringMatching(/^image job .* on node node-a/),
      message: expect.stringMatching(
        /inventoried but not matched against vulnerabilities: no vulnerability database has been published/,
      ),
    });
    expect(unmatched.findings.some((f) => f.ruleId === 'image-user-root')).toBe(true);
    expect(unmatched.findings.some((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm')).toBe(false);

    // Published the way an operator does it: kubectl seco db import --s3-…
    const advisories = join(dir, 'osv');
    mkdirSync(advisories);
    copyFileSync(
      'test/fixtures/vuln/osv/lodash/GHSA-35jh-r3h4-6jhm.json',
      join(advisories, 'GHSA-35jh-r3h4-6jhm.json'),
    );
    const imported = await runCli([
      'db',
      'import',
      advisories,
      '--db-dir',
      join(dir, 'db'),
      ...s3CliFlags(s3),
    ]);
    expect(imported.code).toBe(0);

    // The agent asks the store again on the next job: no negative cache.
    const after = await scan();
    expect(after.code).toBe(0);
    const matched = Report.parse(JSON.parse(after.stdout));
    expect(matched.findings.some((f) => f.ruleId === 'GHSA-35jh-r3h4-6jhm')).toBe(true);
    expect(matched.problems.filter((p) => p.kind !== 'warning')).toEqual([]);
  }, 180_000);
});
