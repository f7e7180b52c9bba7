import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { falcoAlertPod } from '../../harness/cluster/falco-alert-pod.js';
import { postFalco } from '../../harness/cluster/post-falco.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { type RunningStack, startStack } from '../../harness/cluster/start-stack.js';
import { type StreamingCli, spawnCli } from './spawn-cli.js';

// Runs the built CLI from dist/: `npm run build` first.

let stack: RunningStack | undefined;
let cli: StreamingCli | undefined;
afterEach(async () => {
  await cli?.stop('SIGKILL');
  await stack?.stop();
  cli = undefined;
  stack = undefined;
});

describe('kubectl seco watch -o json', () => {
  it('prints a Falco alert posted to the aggregator as one NDJSON line, and stops on SIGINT', async () => {
    const bus = new MemoryBus({ ackWaitMs: 4000, maxDeliver: 3 });
    stack = await startStack({
      bus: async () => sharedBus(bus),
      store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-watch-'))),
      objects: [
        ...withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a'] }),
        ...falcoAlertPod('node-1'),
      ],
      nodes: [{ name: 'node-a', fixture: 'hardened' }],
      continuous: true,
    });
    const { url, port } = stack.aggregators[0]!;
    cli = spawnCli(['watch', '-o', 'json', '--aggregator-url', url, '--token', stack.token]);
    // Subscribed once stderr says so: an alert posted before that would go to no watcher.
    const deadline = Date.now() + 15_000;
    while (!cli.stderr().includes('watch: connected')) {
      if (Date.now() > deadline) throw new Error(`watch never connected: ${cli.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await new Promise((r) => setTimeout(r, 200));
    const alert = JSON.parse(readFileSync('test/fixtures/runtime/falco-alert.json', 'utf8'));
    expect(await postFalco(port, stack.token, JSON.stringify(alert))).toBe(202);

    const line = await cli.nextLine((l) => l.includes('tool:falco'));
    const finding = JSON.parse(line);
    expect(finding).toMatchObject({
      scanner: 'tool:falco',
      resource: { namespace: 'shop', name: 'web-7d9' },
    });
    expect(line).not.toContain('wJalrXUtnFEMI/K7MDENG');
    expect(await cli.stop('SIGINT')).toBe(0);
    expect(cli.stderr()).toContain('watch: closed');
  }, 40_000);
});
