import { describe, expect, it } from '@jest/globals';
import type { Report } from '../../../core/model/index.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { type ProcessStack, probe, startDemoProcessStack } from '../../harness/cluster/process-stack.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';

// The aggregator and agents run as processes from dist/: `npm run build` before this suite.
const servers = realServersForSuite();
let stack: ProcessStack | undefined;
const target = { namespace: 'wordsmith', selector: 'app' };
const scanners = ['config', 'host', 'runtime'] as const;
const ids = (report: Report) => report.findings.map((f) => f.id).sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function start(): Promise<ProcessStack> {
  stack = await startDemoProcessStack(servers, { aggregatorFlags: ['--job-timeout', '120'] });
  return stack;
}

/** A scan with `fault` run once it is accepted; the report and how long the scan took. */
async function scanWith(
  running: ProcessStack,
  fault?: () => Promise<void>,
): Promise<{ report: Report; ms: number }> {
  const client = await connectClient(running.url, running.token);
  const started = Date.now();
  let accepted = false;
  const scan = client.scan(target, { scanners: [...scanners], onAccepted: () => (accepted = true) });
  if (fault) {
    while (!accepted) await sleep(10);
    await fault();
  }
  const report = await scan;
  client.close();
  return { report, ms: Date.now() - started };
}

function expectAllAlive(running: ProcessStack): void {
  expect(running.aggregator.alive()).toBe(true);
  for (const [, agent] of running.agents) expect(agent.alive()).toBe(true);
}

describe('server restarts under a running scan (aggregator and agents as processes)', () => {
  it('nats-server down for 3 s and restarted on the same store: 0 lost findings, nobody exits', async () => {
    const running = await start();
    const baseline = await scanWith(running);
    expect(baseline.report.findings.length).toBeGreaterThan(0);
    let downAt = 0;
    const faulted = await scanWith(running, async () => {
      downAt = Date.now();
      await servers.nats.restart(3000);
    });
    const recoveryMs = Date.now() - downAt;
    expect(ids(faulted.report)).toEqual(ids(baseline.report));
    expect(faulted.report.problems.filter((p) => p.kind === 'error')).toEqual([]);
    expectAllAlive(running);
    // Readiness came back on every component once NATS did.
    await sleep(1000);
    expect((await probe(running.aggregator.port, '/readyz')).status).toBe(200);
    for (const [, agent] of running.agents) expect((await probe(agent.port, '/readyz')).status).toBe(200);
    // And the next scan runs as before.
    expect(ids((await scanWith(running)).report)).toEqual(ids(baseline.report));
    process.stderr.write(
      `NATS restart: baseline scan ${baseline.ms} ms, faulted scan ${faulted.ms} ms, done ${recoveryMs} ms after the server went down\n`,
    );
  }, 120_000);

  it('started while nats-server is down: the aggregator and agents wait for it, then scan', async () => {
    const baseline = await scanWith(await start());
    await stack?.stop();
    stack = undefined;
    await servers.nats.down();
    const starting = start();
    await sleep(3000);
    await servers.nats.up();
    const running = await starting;
    const after = await scanWith(running);
    expect(ids(after.report)).toEqual(ids(baseline.report));
    expectAllAlive(running);
  }, 120_000);

  it('readiness names NATS while it is down, and the agents log the reconnect', async () => {
    const running = await start();
    const agentPort = running.agents.get('node-a')!.port;
    expect((await probe(agentPort, '/readyz')).status).toBe(200);
    const restarted = servers.nats.restart(3000);
    await sleep(1500);
    const agentReady = await probe(agentPort, '/readyz');
    const aggregatorReady = await probe(running.aggregator.port, '/readyz');
    await restarted;
    expect(agentReady.status).toBe(503);
    expect(agentReady.body).toMatch(/nats degraded since .*: (disconnect|reconnecting)/);
    expect(aggregatorReady.status).toBe(503);
    expect(aggregatorReady.body).toMatch(/nats degraded/);
    const until = Date.now() + 15_000;
    while ((await probe(agentPort, '/readyz')).status !== 200 && Date.now() < until) await sleep(250);
    expect((await probe(agentPort, '/readyz')).status).toBe(200);
    expect(running.agents.get('node-a')!.log()).toMatch(/NATS reconnect/);
    expectAllAlive(running);
  }, 60_000);

  it('s3rver down for 3 s and restarted under a running scan: 0 lost findings, nobody exits', async () => {
    const running = await start();
    const baseline = await scanWith(running);
    let downAt = 0;
    const faulted = await scanWith(running, async () => {
      downAt = Date.now();
      await servers.s3.restart(3000);
    });
    const recoveryMs = Date.now() - downAt;
    expect(ids(faulted.report)).toEqual(ids(baseline.report));
    expect(faulted.report.problems.filter((p) => p.kind === 'error')).toEqual([]);
    expectAllAlive(running);
    process.stderr.write(
      `S3 restart: baseline scan ${baseline.ms} ms, faulted scan ${faulted.ms} ms, done ${recoveryMs} ms after the server went down\n`,
    );
  }, 120_000);
});
