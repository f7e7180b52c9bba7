import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runtimeSnapshot } from '../../../agent/runtime-snapshot.js';
import { type RuntimeWatch, startRuntimeWatch } from '../../../agent/runtime-watch.js';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { FindingEvent, PROTOCOL_VERSION } from '../../../core/protocol/index.js';

import { type RuncContainer, startContainer } from '../../harness/runc/runc-container.js';

const isRoot = process.getuid?.() === 0;

let stateRoot: string;
let bus: MemoryBus;
let watcher: RuntimeWatch;
let container: RuncContainer;
const events: unknown[] = [];

beforeAll(async () => {
  if (!isRoot) throw new Error('runtime container tests need root (runc): run them as root, as .ci/run does');
  stateRoot = await mkdtemp(join(tmpdir(), 'seco-runc-agent-'));
  bus = new MemoryBus({ ackWaitMs: 10_000, maxDeliver: 3 });
  await bus.subscribe('seco.events.>', (_, data) =>
    events.push(JSON.parse(Buffer.from(data).toString('utf8'))),
  );
  watcher = await startRuntimeWatch({ bus, node: 'node-1', procRoot: '/proc', log: () => {} });
  container = await startContainer(stateRoot, {});
}, 60_000);

afterAll(async () => {
  if (!isRoot) return;
  watcher.stop();
  await container.remove();
  await bus.close();
  await rm(stateRoot, { recursive: true, force: true });
}, 60_000);

describe('agent runtime wiring', () => {
  test('a detection is published at once on the node events subject as a finding event', async () => {
    await container.exec(['sh'], { stdinOpenMs: 100 });
    // Other suites' containers on this machine produce events too: only this container's count here.
    const mine = () =>
      events
        .map((e) => FindingEvent.safeParse(e))
        .filter((e) => e.success && e.data.finding.resource.name === container.id.slice(0, 12));
    for (let i = 0; i < 150 && mine().length === 0; i++) await new Promise((r) => setTimeout(r, 100));
    const [event] = mine();
    expect(event?.data?.finding).toMatchObject({
      scanner: 'runtime',
      ruleId: 'interactive-shell-in-container',
    });
  }, 30_000);

  test('a runtime snapshot job reports current processes and alerts since the container started', async () => {
    const findings = await runtimeSnapshot(
      {
        v: PROTOCOL_VERSION,
        kind: 'runtime',
        jobId: 'j1',
        scanId: 's1',
        node: 'node-1',
        containers: [
          { containerId: `containerd://${container.id}`, pod: 'web-1', namespace: 'shop', name: 'app' },
        ],
      },
      '/proc',
    );
    const byRule = findings.map((f) => `${f.ruleId}:${f.scanner}`).sort();
    expect(byRule).toEqual(['interactive-shell-in-container:runtime', 'runtime-process:runtime']);
    expect(findings.find((f) => f.ruleId === 'runtime-process')).toMatchObject({
      resource: { namespace: 'shop', name: 'web-1', container: 'app', node: 'node-1' },
      evidence: expect.stringContaining('sleep 3600'),
    });
  }, 30_000);
});
