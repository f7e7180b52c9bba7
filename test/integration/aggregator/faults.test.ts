import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { S3ObjectStore } from '../../../core/store/s3/s3-object-store.js';
import type { AggregatorClient } from '../../../plugin/cluster/aggregator-client.js';
import { connectClient, openSocket } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';

let nats: RunningNats;
let s3: RunningS3;
let stack: RunningStack | undefined;

beforeAll(async () => {
  [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
}, 30_000);
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});
afterAll(async () => {
  await nats?.stop();
  await s3?.stop();
});

const busOptions = { ackWaitMs: 3000, maxDeliver: 4 };
const bus = () => NatsBus.connect(nats.url, busOptions);
const store = () =>
  new S3ObjectStore({ endpoint: s3.endpoint, bucket: 'seco', accessKey: 'S3RVER', secretKey: 'S3RVER' });
const nodes = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];
const objects = () =>
  withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] });
const target = { namespace: 'wordsmith', selector: 'app' };

describe('faults in the cluster pipeline (real NATS and S3)', () => {
  it('an agent that dies holding a job: the job is redelivered and the scan completes without duplicate findings', async () => {
    stack = await startStack({ bus, store: store(), objects: objects(), nodes });
    const baseline = await (await connectClient(stack.aggregators[0]!.url, stack.token)).scan(target, {
      scanners: ['host'],
    });
    // node-b's agent "crashes": stopped, its heartbeat still fresh, and a doomed taker grabs the next job and dies unacked.
    await stack.stopAgent('node-b');
    const doomed = await bus();
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    const scan = client.scan(target, { scanners: ['host'] });
    const taken = await doomed.nextJob('node-b', 5000);
    expect(taken?.deliveryCount).toBe(1);
    await doomed.close();
    await stack.startAgent(nodes[1]!);
    const report = await scan;
    client.close();
    const hostFindings = (r: typeof report) =>
      r.findings
        .filter((f) => f.scanner === 'host')
        .map((f) => f.id)
        .sort();
    expect(hostFindings(report)).toEqual(hostFindings(baseline));
    expect(new Set(report.findings.map((f) => f.id)).size).toBe(report.findings.length);
    expect(report.problems.filter((p) => p.kind === 'error')).toEqual([]);
  }, 60_000);

  it('an aggregator restarted mid-scan: another replica takes the scan over and finishes it', async () => {
    stack = await startStack({ bus, store: store(), objects: objects(), nodes, leaseMs: 2000 });
    // Agents away (heartbeats still fresh): the jobs wait in their queues while the aggregator goes.
    await stack.stopAgent('node-a');
    await stack.stopAgent('node-b');
    const first = stack.aggregators[0]!;
    const client = await connectClient(first.url, stack.token);
    let scanId = '';
    const interrupted = client
      .scan(target, { scanners: ['config', 'host'], onAccepted: (id) => (scanId = id) })
      .catch((e: Error) => e);
    while (!scanId) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 500));
    await first.stop();
    expect(await interrupted).toBeInstanceOf(Error);
    const second = await stack.startAggregator('replica-b');
    for (const node of nodes) await stack.startAgent(node);
    const follower = await connectClient(second.url, stack.token);
    const deadline = Date.now() + 30_000;
    let report: Awaited<ReturnType<AggregatorClient['getResult']>> | undefined;
    while (!report && Date.now() < deadline) {
      report = await follower.getResult(scanId).catch(() => undefined);
      if (!report) await new Promise((r) => setTimeout(r, 250));
    }
    follower.close();
    expect(report?.scanId).toBe(scanId);
    expect(new Set(report!.findings.map((f) => f.scanner))).toEqual(new Set(['config', 'host']));
    expect(report!.findings.some((f) => f.resource.node === 'node-b')).toBe(true);
    expect(report!.problems.filter((p) => p.kind === 'error')).toEqual([]);
  }, 60_000);

  it('malformed, oversized and unauthenticated messages are refused and the server keeps serving', async () => {
    stack = await startStack({ bus, store: store(), objects: objects(), nodes });
    const { url } = stack.aggregators[0]!;
    const ws = await openSocket(url);
    const replies: Array<{ type: string; code?: string }> = [];
    ws.on('message', (data) => replies.push(JSON.parse(data.toString())));
    const next = async (count: number) => {
      const until = Date.now() + 5000;
      while (replies.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return replies[count - 1];
    };
    ws.send('{"v":1,"type":"scan.start","requestId":"x","target":{"name":"a"}}');
    expect(await next(1)).toMatchObject({ type: 'error', code: 'unauthorized' });
    await new Promise((r) => setTimeout(r, 100));
    expect(ws.readyState).toBe(WebSocket.CLOSED);

    const again = await openSocket(url);
    const got: Array<{ type: string; code?: string }> = [];
    again.on('message', (data) => got.push(JSON.parse(data.toString())));
    const wait = async (count: number) => {
      const until = Date.now() + 5000;
      while (got.length < count && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
      return got[count - 1];
    };
    again.send(
      JSON.stringify({ v: 1, type: 'hello', client: { name: 't', version: '1' }, token: stack.token }),
    );
    expect(await wait(1)).toMatchObject({ type: 'welcome' });
    again.send('not json at all');
    expect(await wait(2)).toMatchObject({ type: 'error', code: 'bad-request' });
    again.send(
      JSON.stringify({
        v: 1,
        type: 'scan.start',
        requestId: 'r',
        target: { namespace: 'x'.repeat(300), name: 'a' },
      }),
    );
    expect(await wait(3)).toMatchObject({ type: 'error', code: 'bad-request' });
    again.send(JSON.stringify({ v: 1, type: 'results.list', requestId: 'big', pad: 'x'.repeat(1_500_000) }));
    expect(await wait(4)).toMatchObject({ type: 'error', code: 'too-large' });
    // Garbage on the bus is dropped too.
    await stack.aggregators[0]!.bus.publish('seco.progress.nothing', Buffer.from('{"v":1,"type":"job.done"'));
    again.send(JSON.stringify({ v: 1, type: 'results.list', requestId: 'ok' }));
    expect(await wait(5)).toMatchObject({ type: 'results.listing' });
    again.close();
    const client = await connectClient(url, stack.token);
    const report = await client.scan({ namespace: 'wordsmith', name: 'verb-api' }, { scanners: ['config'] });
    client.close();
    expect(report.findings.length).toBeGreaterThan(0);
  }, 60_000);
});
