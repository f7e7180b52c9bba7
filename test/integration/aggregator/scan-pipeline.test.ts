import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import type { Bus } from '../../../core/bus/bus.js';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { Report } from '../../../core/model/index.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import type { ObjectStore } from '../../../core/store/object-store.js';
import { reportKey } from '../../../core/store/scan-objects.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';

const servers = realServersForSuite();
let stack: RunningStack;

const demo = () =>
  withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] });
const nodes = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];

let run = 0;
const setups: Array<[string, () => { bus: () => Promise<Bus>; store: ObjectStore }]> = [
  [
    'NATS JetStream + S3',
    () => ({
      bus: () => servers.bus(),
      store: servers.store(),
    }),
  ],
  [
    'in-process bus + filesystem',
    () => {
      const bus = new MemoryBus({ ackWaitMs: 4000, maxDeliver: 3 });
      return {
        bus: async () => sharedBus(bus),
        store: new FsObjectStore(mkdtempSync(join(tmpdir(), `seco-pipeline-${++run}-`))),
      };
    },
  ],
];

describe.each(setups)('scan ns/app on %s', (_name, setup) => {
  it('merges config, host findings of both nodes into one stored report, every job accounted for', async () => {
    const { bus, store } = setup();
    stack = servers.use(await startStack({ bus, store, objects: demo(), nodes }));
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const progress: number[] = [];
    const report = await client.scan(
      { namespace: 'wordsmith', selector: 'app' },
      { scanners: ['config', 'host'], onProgress: (p) => progress.push(p.jobs.acked) },
    );
    client.close();
    expect(Report.safeParse(report).success).toBe(true);
    expect(report.target).toEqual({ kind: 'workload', name: 'wordsmith -l app' });
    const scanners = new Set(report.findings.map((f) => f.scanner));
    expect(scanners).toEqual(new Set(['config', 'host']));
    // The misconfigured node has findings, the hardened one none: each node's host job ran on its own agent.
    const hostNodes = new Set(
      report.findings.filter((f) => f.scanner === 'host').map((f) => f.resource.node),
    );
    expect(hostNodes).toEqual(new Set(['node-b']));
    expect(report.findings.map((f) => f.ruleId)).toContain('kubelet-anonymous-auth');
    // The debug sidecar's privileged container is a config finding on the aggregator Deployment.
    expect(report.findings.some((f) => f.scanner === 'config' && f.resource.name === 'aggregator')).toBe(
      true,
    );
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
    expect(report.problems.filter((p) => p.kind !== 'warning')).toEqual([]);
    expect(progress.at(-1)).toBe(2);
    const stored = Report.parse(JSON.parse((await store.get(reportKey(report.scanId)))!.toString()));
    expect(stored.findings.map((f) => f.id).sort()).toEqual(report.findings.map((f) => f.id).sort());
    expect(stored.summary).toEqual(report.summary);
  }, 60_000);

  it('lists past scans and fetches one, and refuses what it must', async () => {
    const { bus, store } = setup();
    stack = servers.use(await startStack({ bus, store, objects: demo(), nodes }));
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const report = await client.scan(
      { namespace: 'wordsmith', name: 'verb-api' },
      { scanners: ['config', 'host'] },
    );
    const listing = await client.listResults(50);
    expect(listing.map((s) => s.scanId)).toContain(report.scanId);
    const fetched = await client.getResult(report.scanId);
    expect(fetched.findings.map((f) => f.id)).toEqual(report.findings.map((f) => f.id));
    await expect(client.getResult('0000nothere')).rejects.toMatchObject({ code: 'not-found' });
    await expect(client.scan({ namespace: 'wordsmith', name: 'no-such-app' })).rejects.toMatchObject({
      code: 'not-found',
    });
    client.close();
  }, 60_000);
});
