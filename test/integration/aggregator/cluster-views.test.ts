import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import type { Finding } from '../../../core/model/index.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { falcoAlertPod } from '../../harness/cluster/falco-alert-pod.js';
import { gatedJobs } from '../../harness/cluster/gated-jobs.js';
import { postFalco } from '../../harness/cluster/post-falco.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { type RunningStack, type StackOptions, startStack } from '../../harness/cluster/start-stack.js';

// What `kubectl seco watch`'s screens ask the aggregator besides events: running scans by node and kind,
// the nodes' agents, the latest findings per target, and a watch that catches up from a given time.

let stack: RunningStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const target = { namespace: 'wordsmith', selector: 'app' };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const alert = (rule: string) => ({
  ...JSON.parse(readFileSync('test/fixtures/runtime/falco-alert.json', 'utf8')),
  rule,
  time: new Date().toISOString(),
});

async function start(agent: StackOptions['agent'] = {}): Promise<RunningStack> {
  const bus = new MemoryBus({ ackWaitMs: 4000, maxDeliver: 3 });
  stack = await startStack({
    bus: async () => sharedBus(bus),
    store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-views-'))),
    // Alerts are checked against the cluster: the pod the Falco fixture names runs there.
    objects: [
      ...withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
      ...falcoAlertPod('node-1'),
    ],
    nodes: [
      { name: 'node-a', fixture: 'hardened' },
      { name: 'node-b', fixture: 'misconfigured' },
    ],
    agent,
  });
  return stack;
}

describe('the watch screens’ requests', () => {
  it('scans.active: a running scan with its jobs per node and kind, gone once it is done', async () => {
    const { runJob, release } = gatedJobs();
    const running = await start({ runJob });
    const client = await connectClient(running.aggregators[0]!.url, running.token);
    let scanId: string | undefined;
    const done = client.scan(target, { scanners: ['config', 'host'], onAccepted: (id) => (scanId = id) });
    let active: Awaited<ReturnType<typeof client.activeScans>> = [];
    for (let i = 0; i < 100 && !active[0]?.nodes['node-b']; i++) {
      await sleep(50);
      active = await client.activeScans();
    }
    expect(active).toHaveLength(1);
    expect(active[0]).toMatchObject({ scanId, target: 'wordsmith -l app', status: 'running' });
    expect(active[0]!.nodes).toEqual({
      'node-a': { host: { total: 1, acked: 0, failed: 0, timedOut: 0 } },
      'node-b': { host: { total: 1, acked: 0, failed: 0, timedOut: 0 } },
    });
    const nodes = await client.nodes();
    expect(nodes.map((n) => [n.node, n.online, n.queuedJobs])).toEqual([
      ['node-a', true, 1],
      ['node-b', true, 1],
    ]);
    release();
    await done;
    expect(await client.activeScans()).toEqual([]);
    client.close();
  }, 60_000);

  it('findings.latest: the open findings of the newest scan of each target, once each', async () => {
    const running = await start();
    const client = await connectClient(running.aggregators[0]!.url, running.token);
    const first = await client.scan(target, { scanners: ['config', 'host'] });
    const second = await client.scan(target, { scanners: ['config'] });
    const latest = await client.latestFindings();
    expect(latest.scans.map((s) => s.scanId)).toEqual([second.scanId]);
    const open = second.findings.filter((f) => f.status === 'open');
    expect(latest.findings.map((f) => f.id).sort()).toEqual(open.map((f) => f.id).sort());
    // The first scan also had host findings; only the latest of the target counts.
    expect(first.findings.some((f) => f.scanner === 'host')).toBe(true);
    expect(latest.findings.some((f) => f.scanner === 'host')).toBe(false);
    client.close();
  }, 60_000);

  it('nodes.list: agents with heartbeats, and the nodes runtime events came from', async () => {
    const running = await start();
    const { port } = running.aggregators[0]!;
    expect(await postFalco(port, running.token, JSON.stringify(alert('Terminal shell in container')))).toBe(
      202,
    );
    const client = await connectClient(running.aggregators[0]!.url, running.token);
    let nodes: Awaited<ReturnType<typeof client.nodes>> = [];
    for (let i = 0; i < 100 && nodes.length < 3; i++) {
      await sleep(50);
      nodes = await client.nodes();
    }
    expect(nodes.map((n) => n.node)).toEqual(['node-1', 'node-a', 'node-b']);
    expect(nodes[0]).toMatchObject({ node: 'node-1', online: false, events: { low: 1 } });
    expect(nodes[1]).toMatchObject({ node: 'node-a', online: true, queuedJobs: 0 });
    expect(Date.parse(nodes[1]!.lastSeen!)).toBeGreaterThan(Date.now() - 60_000);
    client.close();
  }, 60_000);

  it('watch.subscribe since: catches up from that time only; without it, the default window', async () => {
    const running = await start();
    const { port, url } = running.aggregators[0]!;
    expect(await postFalco(port, running.token, JSON.stringify(alert('before the mark')))).toBe(202);
    await sleep(50);
    const mark = new Date().toISOString();
    await sleep(50);
    expect(await postFalco(port, running.token, JSON.stringify(alert('after the mark')))).toBe(202);
    const watchFor = async (options: { since?: string }) => {
      const client = await connectClient(url, running.token);
      const seen: Finding[] = [];
      client.watch(options, (f) => seen.push(f));
      await sleep(500);
      client.close();
      return seen.map((f) => f.ruleId);
    };
    expect(await watchFor({ since: mark })).toEqual(['after the mark']);
    expect(await watchFor({})).toEqual(['before the mark', 'after the mark']);
  }, 60_000);
});
