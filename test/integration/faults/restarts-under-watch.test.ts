import { Writable } from 'node:stream';
import { describe, expect, it } from '@jest/globals';
import { publishDetection } from '../../../agent/runtime-watch.js';
import type { Report } from '../../../core/model/index.js';
import { runClusterScan } from '../../../plugin/cluster/run-cluster-scan.js';
import { soakDetection } from '../../../tools/soak/soak-detection.js';
import { spawnCli } from '../../e2e/cli/spawn-cli.js';
import { startDemoProcessStack } from '../../harness/cluster/process-stack.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';

// Everything killed at once under a scan and a watch, each a real process (aggregator, agents and the
// CLI from dist/: `npm run build` before this suite), on real nats-server and s3rver.
const servers = realServersForSuite();
const target = { namespace: 'wordsmith', selector: 'app' };
const ids = (report: Report) => report.findings.map((f) => f.id).sort();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Progress lines of the reconnecting scan, kept for the test's log rather than printed. */
function stderrBuffer(): { stream: NodeJS.WriteStream; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream: stream as unknown as NodeJS.WriteStream, text: () => text };
}

describe('restarts under a running scan and a running watch (every component a process)', () => {
  it('aggregator and an agent SIGKILLed and nats-server and s3rver restarted: the scan completes with the same findings, watch reconnects and shows every event', async () => {
    const stack = await startDemoProcessStack(servers, { aggregatorFlags: ['--job-timeout', '300'] });
    const flags = {
      'aggregator-url': stack.url,
      token: stack.token,
      'seco-namespace': 'seco-system',
      scanners: ['config', 'host', 'runtime'] as Array<'config' | 'host' | 'runtime'>,
    };
    const log = stderrBuffer();
    const baseline = await runClusterScan(target, flags, log.stream);
    expect(baseline.findings.length).toBeGreaterThan(0);

    const watch = spawnCli(['watch', '-o', 'json', '--aggregator-url', stack.url, '--token', stack.token]);
    const events = await servers.bus({ ackWaitMs: 30_000, maxDeliver: 5 });
    const published: number[] = [];
    let publishing = true;
    // A detection on node-b every 500 ms through the agent's own publishing path (retried while NATS is away).
    const publisher = (async () => {
      for (let i = 0; publishing; i++) {
        void publishDetection(events, 'node-b', soakDetection('node-b', i)).then(() => published.push(i));
        await sleep(500);
      }
    })();
    try {
      await watch.nextLine((l) => l.includes('soak event 0)'), 30_000);
      const started = Date.now();
      const scan = runClusterScan(target, flags, log.stream);
      await sleep(200);
      await stack.aggregator.restart('SIGKILL');
      await stack.agents.get('node-b')!.restart('SIGKILL');
      await servers.nats.restart(3000);
      await servers.s3.restart(3000);
      const report = await scan;
      const scanMs = Date.now() - started;
      expect(ids(report)).toEqual(ids(baseline));
      expect(report.problems.filter((p) => p.kind === 'error')).toEqual([]);

      await sleep(2000);
      publishing = false;
      await publisher;
      // Every event published before, during and after the faults reaches the watch that lived through them.
      const watched = Date.now();
      for (const i of published) await watch.nextLine((l) => l.includes(`soak event ${i})`), 60_000);
      expect(watch.child.exitCode).toBeNull();
      expect(stack.aggregator.alive()).toBe(true);
      for (const [, agent] of stack.agents) expect(agent.alive()).toBe(true);
      process.stderr.write(
        `restarts under scan and watch: scan ${scanMs} ms (baseline ${baseline.findings.length} findings, same ids); ${published.length} events all watched, the last ${Date.now() - watched} ms after publishing stopped\n`,
      );
    } finally {
      publishing = false;
      await publisher;
      await events.close();
      await watch.stop('SIGINT');
    }
  }, 300_000);
});
