import { describe, expect, it } from '@jest/globals';
import { WebSocket } from 'ws';
import type { AggregatorClient } from '../../../plugin/cluster/aggregator-client.js';
import { runClusterScan } from '../../../plugin/cluster/run-cluster-scan.js';
import { connectClient, openSocket } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';

const servers = realServersForSuite();
let stack: RunningStack;

const busOptions = { ackWaitMs: 3000, maxDeliver: 4 };
const bus = () => servers.bus(busOptions);
const store = () => servers.store();
const nodes = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];
const objects = () =>
  withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] });
const target = { namespace: 'wordsmith', selector: 'app' };

describe('faults in the cluster pipeline (real NATS and S3)', () => {
  it('an agent that dies holding a job: the job is redelivered and the scan completes without duplicate findings', async () => {
    stack = servers.use(await startStack({ bus, store: store(), objects: objects(), nodes }));
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
    stack = servers.use(await startStack({ bus, store: store(), objects: objects(), nodes, leaseMs: 2000 }));
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

  it('the plugin follows its scan across an aggregator restart and prints the merged report', async () => {
    stack = servers.use(await startStack({ bus, store: store(), objects: objects(), nodes, leaseMs: 2000 }));
    await stack.stopAgent('node-a');
    await stack.stopAgent('node-b');
    const first = stack.aggregators[0]!;
    const lines: string[] = [];
    const stderr = {
      write: (text: string) => lines.push(text),
      isTTY: false,
    } as unknown as NodeJS.WriteStream;
    const scan = runClusterScan(
      target,
      {
        'aggregator-url': first.url,
        token: stack.token,
        'seco-namespace': 'seco-system',
        scanners: ['config', 'host'],
      },
      stderr,
    );
    while (!lines.some((l) => l.startsWith('scan '))) await new Promise((r) => setTimeout(r, 20));
    await first.stop();
    // The Service's address stays; a new replica answers behind it.
    await stack.startAggregator('replica-b', first.port);
    for (const node of nodes) await stack.startAgent(node);
    const report = await scan;
    expect(lines.join('')).toMatch(
      /connection closed \(1012: aggregator restarting\); following scan [0-9a-z]+ again/,
    );
    expect(new Set(report.findings.map((f) => f.scanner))).toEqual(new Set(['config', 'host']));
    expect(report.problems.filter((p) => p.kind === 'error')).toEqual([]);
  }, 60_000);

  it('malformed, oversized and unauthenticated messages are refused and the server keeps serving', async () => {
    stack = servers.use(await startStack({ bus, store: store(), objects: objects(), nodes }));
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
