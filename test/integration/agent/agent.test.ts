import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Agent } from '../../../agent/agent.js';
import type { Bus } from '../../../core/bus/bus.js';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { Finding } from '../../../core/model/index.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import type { ObjectStore } from '../../../core/store/object-store.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import { jobResultKey } from '../../../core/store/scan-objects.js';
import { type BuiltHostRoot, buildHostRoot } from '../../harness/host/build-host-root.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';

let host: BuiltHostRoot;
let nats: RunningNats;
let s3: RunningS3;
const cleanups: Array<() => Promise<void>> = [];

beforeAll(async () => {
  host = buildHostRoot('misconfigured');
  [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
}, 30_000);
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
afterAll(async () => {
  host?.remove();
  await nats?.stop();
  await s3?.stop();
});

const options = { ackWaitMs: 5000, maxDeliver: 3 };
const setups: Array<[string, () => Promise<{ bus: Bus; store: ObjectStore }>]> = [
  [
    'NATS JetStream + S3',
    async () => ({
      bus: await NatsBus.connect(nats.url, options),
      store: new S3ObjectStore({
        endpoint: s3.endpoint,
        bucket: 'seco',
        accessKey: 'S3RVER',
        secretKey: 'S3RVER',
      }),
    }),
  ],
  [
    'in-process bus + filesystem',
    async () => ({
      bus: new MemoryBus(options),
      store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-agent-store-'))),
    }),
  ],
];
let run = 0;

describe.each(setups)('agent on %s', (_name, setup) => {
  it('runs a host job, stores gzip NDJSON findings, publishes them and the outcome, and heartbeats', async () => {
    const { bus, store } = await setup();
    const node = `node-${++run}.cluster.local`;
    const scanId = `scan-${run}`;
    const outcomes: Array<Record<string, unknown>> = [];
    const findings: Array<{ findings: unknown[] }> = [];
    cleanups.push(() => bus.close());
    // The job's start comes first on the same subject; the outcome is what this test reads.
    const unsubscribe = await bus.subscribe(`seco.progress.*.${scanId}`, (_s, data) => {
      const message = JSON.parse(Buffer.from(data).toString());
      if (message.type !== 'job.started') outcomes.push(message);
    });
    cleanups.push(async () => unsubscribe());
    await bus.subscribe(`seco.findings.*.${scanId}`, (_s, data) =>
      findings.push(JSON.parse(Buffer.from(data).toString())),
    );
    const agent = new Agent({
      bus,
      store,
      node,
      hostRoot: host.hostRoot,
      procRoot: host.procRoot,
      pollMs: 200,
    });
    agent.start();
    cleanups.push(() => agent.stop());
    const job = { v: 1, kind: 'host', jobId: 'host-1', scanId, node };
    await bus.publishJob(node, Buffer.from(JSON.stringify(job)));
    await bus.publishJob(node, Buffer.from('{"v":1,"kind":"rm -rf"}'));
    const deadline = Date.now() + 15_000;
    while (outcomes.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(outcomes[0]).toMatchObject({
      type: 'job.done',
      jobId: 'host-1',
      status: 'acked',
      resultKey: jobResultKey(scanId, 'host-1'),
    });
    const stored = gunzipSync((await store.get(jobResultKey(scanId, 'host-1')))!)
      .toString()
      .trim()
      .split('\n')
      .map((line) => Finding.parse(JSON.parse(line)));
    expect(stored.length).toBe(outcomes[0]!.findings);
    expect(stored.map((f) => f.ruleId)).toContain('kubelet-anonymous-auth');
    expect(stored.every((f) => f.resource.node === node)).toBe(true);
    // Published in batches as they are found; the stored result is the same set.
    expect(findings.flatMap((m) => m.findings)).toHaveLength(stored.length);
    const heartbeat = await (await bus.keyValue('seco-agents')).keys();
    expect(heartbeat.length).toBeGreaterThan(0);
    // The malformed job was refused and not redelivered: the queue is empty.
    await agent.stop();
    expect(await bus.nextJob(node, 1000)).toBeUndefined();
  }, 30_000);

  it('writes a redelivered job to the same key, so its findings are not duplicated', async () => {
    const { bus, store } = await setup();
    cleanups.push(() => bus.close());
    const node = `node-${++run}`;
    const scanId = `scan-${run}`;
    const job = Buffer.from(JSON.stringify({ v: 1, kind: 'host', jobId: 'host-1', scanId, node }));
    // An agent takes the job and dies before acking: it comes back after the ack wait.
    await bus.publishJob(node, job);
    expect(await bus.nextJob(node, 2000)).toBeDefined();
    const agent = new Agent({
      bus,
      store,
      node,
      hostRoot: host.hostRoot,
      procRoot: host.procRoot,
      pollMs: 200,
    });
    agent.start();
    cleanups.push(() => agent.stop());
    const key = jobResultKey(scanId, 'host-1');
    const deadline = Date.now() + 15_000;
    while (!(await store.stat(key)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await agent.stop();
    const keys: string[] = [];
    for await (const k of store.list(`scans/${scanId}/`)) keys.push(k);
    expect(keys).toEqual([key]);
  }, 30_000);
});
