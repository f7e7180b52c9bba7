import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { parseReference } from '../../../core/image/source/reference.js';
import { RegistrySource } from '../../../core/image/source/registry.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { DEMO_NODES, shopDeployment, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import {
  type ProcessStack,
  startDemoProcessStack,
  startProcessStack,
} from '../../harness/cluster/process-stack.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';

// The aggregator and agents run as processes from dist/: `npm run build` before this suite.
const servers = realServersForSuite();
let registry: RunningRegistry;
let built: BuiltImage;
let stack: ProcessStack | undefined;

beforeAll(async () => {
  built = buildTestImage();
  registry = await startRegistry();
  await pushImage(built.layout, 'test', `${registry.host}/shop/app:1.0`);
}, 120_000);
afterAll(async () => {
  await registry?.stop();
  built?.remove();
});

const nodes = DEMO_NODES;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('refused and orphaned jobs (aggregator and agents as processes)', () => {
  it('a malformed job on an agent’s queue gets a failed outcome naming why', async () => {
    stack = await startDemoProcessStack(servers);
    const bus = await NatsBus.connect(servers.nats.url, { ackWaitMs: 120_000, maxDeliver: 5 });
    try {
      const outcomes: Array<Record<string, unknown>> = [];
      await bus.subscribe('seco.progress.*.refused-scan', (_s, data) =>
        outcomes.push(JSON.parse(Buffer.from(data).toString())),
      );
      // A host job without its node, and one of a kind no agent knows.
      await bus.publishJob(
        'node-a',
        Buffer.from('{"v":1,"kind":"host","scanId":"refused-scan","jobId":"j-1"}'),
      );
      await bus.publishJob(
        'node-a',
        Buffer.from('{"v":1,"kind":"teleport","scanId":"refused-scan","jobId":"j-2","node":"node-a"}'),
      );
      const until = Date.now() + 10_000;
      while (outcomes.length < 2 && Date.now() < until) await sleep(50);
      expect(outcomes.map((o) => o.jobId).sort()).toEqual(['j-1', 'j-2']);
      for (const outcome of outcomes)
        expect(outcome).toMatchObject({
          type: 'job.done',
          scanId: 'refused-scan',
          node: 'node-a',
          status: 'failed',
          error: expect.stringMatching(/^refused by the agent on node node-a: /),
        });
      expect(stack.agents.get('node-a')!.log()).toMatch(/refused job/);
      expect(stack.agents.get('node-a')!.alive()).toBe(true);
    } finally {
      await bus.close();
    }
  }, 60_000);

  it('an agent SIGKILLed mid-scan: its node’s jobs fail within the heartbeat window, not at the deadline', async () => {
    // Deadline 120 s; heartbeats every second, gone after 3 s without one.
    stack = await startDemoProcessStack(servers, {
      aggregatorFlags: ['--job-timeout', '120', '--agent-stale', '3'],
      agentFlags: ['--heartbeat', '1'],
    });
    // Let the aggregator be up a full window, as it judges agents only after seeing that much of them.
    await sleep(3500);
    await stack.agents.get('node-b')!.stop('SIGKILL');
    const client = await connectClient(stack.url, stack.token);
    const started = Date.now();
    const report = await client.scan(
      { namespace: 'wordsmith', selector: 'app' },
      { scanners: ['config', 'host', 'runtime'] },
    );
    const tookMs = Date.now() - started;
    client.close();
    const errors = report.problems.filter((p) => p.kind === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const problem of errors) {
      expect(problem.source).toMatch(/^(host|runtime) job \S+ on node node-b$/);
      expect(problem.message).toBe('failed: agent on node node-b stopped heartbeating (none for 3s)');
    }
    // The aggregator scans configuration itself: that part of the report is whole.
    expect(report.findings.some((f) => f.scanner === 'config')).toBe(true);
    // 3 s window + one watchdog look (5 s) + slack: far from the 120 s deadline.
    expect(tookMs).toBeLessThan(20_000);
    expect(stack.aggregator.alive()).toBe(true);
    process.stderr.write(`SIGKILLed agent: scan finished ${tookMs} ms after it started (window 3 s)\n`);
  }, 60_000);

  it('an agent SIGKILLed holding an image job: the job moves to a live agent and its findings arrive', async () => {
    const image = `${registry.host}/shop/app:1.0`;
    const digest = await new RegistrySource(parseReference(image), { insecure: true }).imageDigest({
      os: 'linux',
      architecture: 'amd64',
    });
    // The shop runs on node-b only: its image job goes to node-b's queue.
    const shop = shopDeployment(image, 1);
    stack = servers.use(
      await startProcessStack({
        natsUrl: servers.nats.url,
        s3: servers.s3,
        objects: withRunningPods([shop], { nodes: ['node-b'], digests: { [image]: digest } }),
        nodes,
        aggregatorFlags: ['--job-timeout', '120', '--agent-stale', '3'],
        agentFlags: ['--heartbeat', '1', '--insecure-registry', registry.host],
      }),
    );
    await sleep(3500);
    await stack.agents.get('node-b')!.stop('SIGKILL');
    const client = await connectClient(stack.url, stack.token);
    const messages: string[] = [];
    const started = Date.now();
    const report = await client.scan(
      { namespace: 'shop', name: 'shop' },
      // Progress is coalesced: one message may say several things, `; `-joined.
      { scanners: ['image', 'host'], onProgress: (p) => messages.push(...(p.message?.split('; ') ?? [])) },
    );
    const tookMs = Date.now() - started;
    client.close();
    expect(messages).toContain('image job moved from node-b (agent stopped heartbeating) to node-a');
    expect(report.findings.some((f) => f.scanner === 'image' && f.resource.image?.includes(digest))).toBe(
      true,
    );
    // The host job is bound to node-b: it fails, saying why. The moved image job ran on node-a, with
    // no vuln DB published here: inventoried, and said to be unmatched rather than clean.
    expect(report.problems.filter((p) => p.kind === 'error')).toEqual([
      expect.objectContaining({
        source: expect.stringMatching(/^host job \S+ on node node-b$/),
        message: 'failed: agent on node node-b stopped heartbeating (none for 3s)',
      }),
      expect.objectContaining({
        source: expect.stringMatching(/^image job \S+ on node node-a /),
        message: expect.stringContaining('inventoried but not matched against vulnerabilities'),
      }),
    ]);
    expect(tookMs).toBeLessThan(30_000);
    process.stderr.write(`SIGKILLed agent with an image job: moved and scanned, scan done in ${tookMs} ms\n`);
  }, 120_000);
});
