import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parseReference } from '../../../core/image/source/reference.js';
import { RegistrySource } from '../../../core/image/source/registry.js';
import { Report } from '../../../core/model/index.js';
import { runCli } from '../../e2e/cli/run-cli.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { DEMO_NODES, shopDeployment, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { type ProcessStack, startProcessStack } from '../../harness/cluster/process-stack.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { type BuiltImage, buildTestImage } from '../../harness/image/build-image.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';
import { startTrickleProxy, type TrickleProxy } from '../../harness/registry/trickle-proxy.js';

// The aggregator, agents and CLI run as processes from dist/: `npm run build` before this suite.
const servers = realServersForSuite();
let registry: RunningRegistry;
let trickle: TrickleProxy;
let built: BuiltImage;
let stack: ProcessStack | undefined;
let image: string;
let digest: string;

beforeAll(async () => {
  built = buildTestImage();
  registry = await startRegistry();
  await pushImage(built.layout, 'test', `${registry.host}/shop/app:1.0`);
  // One byte every 20 s: as in issue 10.
  trickle = await startTrickleProxy(registry.host, 20_000);
  image = `${trickle.host}/shop/app:1.0`;
  // Manifests pass the proxy untouched: the digest is learned at full speed, the blobs are not.
  digest = await new RegistrySource(parseReference(image), { insecure: true }).imageDigest({
    os: 'linux',
    architecture: 'amd64',
  });
}, 120_000);

afterAll(async () => {
  await trickle?.stop();
  await registry?.stop();
  built?.remove();
});

/** The shop on two nodes, its image behind the trickling proxy; aggregator and agents as processes. */
async function startShopStack(aggregatorFlags: string[], agentFlags: string[]): Promise<ProcessStack> {
  return servers.use(
    await startProcessStack({
      natsUrl: servers.nats.url,
      s3: servers.s3,
      objects: withRunningPods([shopDeployment(image, 2)], {
        nodes: DEMO_NODES.map((n) => n.name),
        digests: { [image]: digest },
      }),
      nodes: DEMO_NODES,
      aggregatorFlags,
      agentFlags: ['--insecure-registry', trickle.host, ...agentFlags],
    }),
  );
}

/** The report's one error: node-a's image job, with `message`. */
function imageJobError(report: Report, message: RegExp): Report['problems'] {
  const errors = report.problems.filter((p) => p.kind === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]!.source).toMatch(/^image job \S+ on node node-a \(/);
  expect(errors[0]!.message).toMatch(message);
  return errors;
}

describe('a registry that trickles one byte every 20 s (aggregator, agents and CLI as processes)', () => {
  it('host and runtime jobs finish beside the stalled pull; the image job dies of "no progress" after two tries', async () => {
    stack = await startShopStack(
      ['--job-timeout', '120'],
      ['--job-idle', 'image=2', '--job-deadline', 'image=30'],
    );
    const client = await connectClient(stack.url, stack.token);
    const started = Date.now();
    const settledAt = new Map<string, number>();
    const report = await client.scan(
      { namespace: 'shop', name: 'shop' },
      {
        scanners: ['image', 'host', 'runtime'],
        // Progress is coalesced (at most one message per 500 ms): one may say several jobs settled.
        onProgress: (p) => {
          for (const said of p.message?.split('; ') ?? []) {
            const settled = /^(\w+) job on (\S+): (\w+)$/.exec(said);
            if (settled) settledAt.set(`${settled[1]}@${settled[2]}`, Date.now() - started);
          }
        },
      },
    );
    const tookMs = Date.now() - started;
    client.close();
    imageJobError(
      report,
      /^failed: image job timed out on node node-a \(delivery 2, dead\): no progress for 2s$/,
    );
    // The node's own jobs ran in their lane while the image lane was stuck on the pull.
    for (const job of ['host@node-a', 'runtime@node-a', 'host@node-b', 'runtime@node-b'])
      expect(settledAt.get(job)).toBeLessThan(settledAt.get('image@node-a')!);
    // ...and well before it: the image job needs two 2-s windows without a byte to die.
    expect(settledAt.get('host@node-a')).toBeLessThan(settledAt.get('image@node-a')! - 2000);
    expect(report.findings.some((f) => f.scanner === 'host' && f.resource.node === 'node-b')).toBe(true);
    // Two tries of 2 s without a byte, then the scan ends: far from the 30 s job and 120 s scan deadlines.
    expect(tookMs).toBeLessThan(15_000);
    expect(trickle.blobRequests()).toBeGreaterThanOrEqual(2);
    for (const [, agent] of stack.agents) expect(agent.alive()).toBe(true);
    process.stderr.write(
      `trickling registry: scan ${tookMs} ms; settled at ${JSON.stringify(Object.fromEntries(settledAt))}\n`,
    );

    // What a user sees: the same scan through the CLI ends with exit 2 and the reason in the report.
    const cli = await runCli(
      ['scan', 'shop/shop', '--scanners', 'image,host,runtime', '--aggregator-url', stack.url, '-o', 'json'],
      { env: { SECO_TOKEN: stack.token } },
    );
    expect(cli.code).toBe(2);
    const printed = Report.parse(JSON.parse(cli.stdout));
    expect(printed.problems.find((p) => p.kind === 'error')?.message).toMatch(/no progress for 2s$/);
  }, 120_000);

  it('an agent stuck on a started job: the aggregator times it out at the job deadline, not the scan deadline', async () => {
    // The agent would wait 10 min for a byte (it is "stuck"); the aggregator allows an image job 3 s
    // from its start, plus 1 s of grace. The scan deadline is 5 min.
    stack = await startShopStack(
      ['--job-timeout', '300', '--job-deadline', 'image=3', '--job-deadline-grace', '1'],
      ['--job-idle', 'image=600', '--job-deadline', 'image=600'],
    );
    const client = await connectClient(stack.url, stack.token);
    const started = Date.now();
    const report = await client.scan({ namespace: 'shop', name: 'shop' }, { scanners: ['image', 'host'] });
    const tookMs = Date.now() - started;
    client.close();
    const errors = imageJobError(
      report,
      /^timed out: started on node node-a \d+s ago and not finished within its image job deadline \(4s with grace\); timed out by the aggregator: the agent may be stuck$/,
    );
    expect(report.findings.some((f) => f.scanner === 'host' && f.resource.node === 'node-b')).toBe(true);
    // 4 s from the start, seen by the watchdog's next look (every 5 s): far from the 300 s scan deadline.
    expect(tookMs).toBeLessThan(20_000);
    // The agent is still in the pull: it was not the agent that ended the job.
    expect(stack.agents.get('node-a')!.log()).not.toMatch(/timed out/);
    expect(stack.aggregator.log()).toMatch(/image job \S+ on node-a: started on node node-a/);
    for (const [, agent] of stack.agents) expect(agent.alive()).toBe(true);
    process.stderr.write(`stuck agent: scan ${tookMs} ms, ${errors[0]!.message}\n`);
  }, 120_000);
});
