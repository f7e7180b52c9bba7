import { describe, expect, it } from '@jest/globals';
import { publishDetection } from '../../../agent/runtime-watch.js';
import type { Finding } from '../../../core/model/index.js';
import type { Detection } from '../../../core/runtime/detection.js';
import { spawnCli } from '../../e2e/cli/spawn-cli.js';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { realServersForSuite } from '../../harness/cluster/real-servers.js';
import { startStack } from '../../harness/cluster/start-stack.js';

const servers = realServersForSuite();
const nodes = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];

/** What the runtime watcher reports for `cat /etc/shadow` in a pod (rule and severity of the built-in rule set). */
function shadowRead(node: string): Detection {
  return {
    ruleId: 'sensitive-file-read',
    severity: 'critical',
    description: 'A sensitive file was read in a container',
    output: 'cat opened /etc/shadow',
    time: new Date().toISOString(),
    source: 'netlink',
    latencyMs: 3,
    node,
    container: { id: 'c'.repeat(64), runtime: 'containerd', name: 'web', image: 'nginx:1.27' },
    pod: { namespace: 'wordsmith', name: 'web-7d9', uid: 'u-1' },
    process: { pid: 4242, ppid: 1, name: 'cat', exe: '/bin/cat', cmdline: 'cat /etc/shadow', uid: 0 },
    mitre: ['T1003.008'],
    references: [],
    repeats: 0,
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('runtime events while the aggregator is down (real NATS and S3)', () => {
  it('are stored once, followed by one feedback scan, and shown to a watch client that connects later', async () => {
    const store = servers.store();
    const stack = servers.use(
      await startStack({
        bus: () => servers.bus(),
        store,
        objects: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
        nodes,
      }),
    );
    await stack.aggregators[0]!.stop();
    const before = new Set<string>();
    for await (const key of store.list('events/')) before.add(key);

    // The agent's own publishing path, on a connection of its own, while no aggregator runs.
    const agentBus = await servers.bus();
    const eventId = await publishDetection(agentBus, 'node-b', shadowRead('node-b'));
    await agentBus.close();

    const aggregator = await stack.startAggregator('replica-after');
    const stored = await until('the stored event', async () => {
      const keys: string[] = [];
      for await (const key of store.list('events/')) if (!before.has(key)) keys.push(key);
      return keys.length > 0 ? keys : undefined;
    });
    expect(stored).toEqual([
      expect.stringMatching(new RegExp(`^events/\\d{4}/\\d{2}/\\d{2}/${eventId}\\.ndjson\\.gz$`)),
    ]);

    const client = await connectClient(aggregator.url, stack.token);
    const feedbackScans = await until('the feedback scan', async () => {
      const scans = (await client.listResults(50)).filter((s) =>
        s.target.includes('feedback: runtime-alert-rescans-image-and-node'),
      );
      return scans.length > 0 ? scans : undefined;
    });

    // `kubectl seco watch -o json` started now is caught up from the stream.
    const cli = spawnCli(['watch', '-o', 'json', '--aggregator-url', aggregator.url, '--token', stack.token]);
    try {
      const line = await cli.nextLine((l) => l.includes('sensitive-file-read'), 30_000);
      expect(JSON.parse(line)).toMatchObject({
        scanner: 'runtime',
        resource: { name: 'web-7d9', node: 'node-b' },
      });
    } finally {
      await cli.stop('SIGINT');
    }
    // So is a client of the protocol, once.
    const seen: Finding[] = [];
    client.watch({}, (f) => seen.push(f));
    const event = await until('the watch event', async () => seen[0]);
    expect(event).toMatchObject({
      scanner: 'runtime',
      ruleId: 'sensitive-file-read',
      resource: { namespace: 'wordsmith', name: 'web-7d9', node: 'node-b' },
    });

    // A restart of the aggregator (its consumer's acks kept by the server) neither stores nor acts twice.
    await aggregator.stop();
    const again = await stack.startAggregator('replica-again');
    await new Promise((r) => setTimeout(r, 3000));
    const after: string[] = [];
    for await (const key of store.list('events/')) if (!before.has(key)) after.push(key);
    expect(after).toEqual(stored);
    const client2 = await connectClient(again.url, stack.token);
    const scansNow = (await client2.listResults(50)).filter((s) =>
      s.target.includes('feedback: runtime-alert-rescans-image-and-node'),
    );
    expect(scansNow.map((s) => s.scanId)).toEqual(feedbackScans.map((s) => s.scanId));
    expect(seen).toHaveLength(1);
    client.close();
    client2.close();
  }, 90_000);

  it('reach a watch client that subscribed while NATS was down, once NATS is back', async () => {
    const stack = servers.use(
      await startStack({
        bus: () => servers.bus(),
        store: servers.store(),
        objects: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
        nodes,
      }),
    );
    const client = await connectClient(stack.aggregators[0]!.url, stack.token);
    await servers.nats.down();
    const seen: Finding[] = [];
    const refused: Error[] = [];
    client.watch(
      {},
      (f) => seen.push(f),
      (e) => refused.push(e),
    );
    // Longer than a NATS request's timeout: the subscription has been handled while the stream was away.
    await new Promise((r) => setTimeout(r, 7000));
    await servers.nats.up();
    const agentBus = await servers.bus();
    const detection = {
      ...shadowRead('node-b'),
      pod: { namespace: 'wordsmith', name: 'web-after-nats', uid: 'u-2' },
    };
    await publishDetection(agentBus, 'node-b', detection);
    await agentBus.close();
    const event = await until('the event published after NATS came back', async () =>
      seen.find((f) => f.resource.name === 'web-after-nats'),
    );
    expect(event).toMatchObject({ ruleId: 'sensitive-file-read', resource: { node: 'node-b' } });
    expect(refused).toEqual([]);
    client.close();
  }, 90_000);
});
