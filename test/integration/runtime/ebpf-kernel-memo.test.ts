import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
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

// The eBPF sensor's kernel-side no-match memo (bpf/sensor.bpf.c `quiet_execs`, core/runtime/kernel-quiet-memo.ts):
// an exec the rules judged to match nothing, run again, stays in the kernel. These scenarios prove that it
// cannot hide a detection: what would change the verdict (argv, the container's pod, the rule set) reaches
// the rules again, and a process whose exec stayed in the kernel is still known when it or a child does
// something that matches (the kernel's process table, `procs`).

const pods: KubeObject[] = [];
const kube: KubeView = { list: async (kind) => (kind === 'Pod' ? pods : []), get: async () => undefined };
let stateRoot: string;
let watcher: RuntimeWatcher;
const detections: Detection[] = [];
const containers: RuncContainer[] = [];

function addPod(name: string, c: RuncContainer, runAsNonRoot = false): void {
  pods.push(podOf(c, { name, namespace: 'memo', runAsNonRoot }));
}

async function container(spec: ContainerSpec = {}): Promise<RuncContainer> {
  const c = await startContainer(stateRoot, spec);
  containers.push(c);
  return c;
}

const mine = (c: RuncContainer) => detections.filter((d) => d.container?.id === c.id);

/** Polls `check` (a loaded machine: generous), never a fixed sleep as the assertion. */
async function until<T>(check: () => T | undefined | false, ms = 15_000): Promise<T | undefined> {
  for (let waited = 0; waited < ms; waited += 100) {
    const found = check();
    if (found) return found;
    await new Promise((r) => setTimeout(r, 100));
  }
  return undefined;
}

function kept(): { execs: number; exits: number } {
  watcher.refreshDrops();
  return { execs: watcher.stats.quietExecs ?? 0, exits: watcher.stats.quietExits ?? 0 };
}

/** Runs `args` in `c` until the kernel keeps `times` of its execs (the first are judged in user space, after
 * up to podWaitMs for a pod the kubelet has not reported yet). */
async function runUntilKept(c: RuncContainer, args: string[], times: number): Promise<void> {
  const before = kept().execs;
  const deadline = Date.now() + 30_000;
  while (kept().execs - before < times && Date.now() < deadline) {
    await c.exec(args);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(kept().execs - before).toBeGreaterThanOrEqual(times);
}

beforeAll(async () => {
  if (process.getuid?.() !== 0)
    throw new Error('runtime container tests need root (runc, eBPF): run them as root');
  stateRoot = await mkdtemp(join(tmpdir(), 'seco-memo-'));
  watcher = new RuntimeWatcher({
    procRoot: '/proc',
    node: 'node-1',
    rules: new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir()])),
    kube,
    source: 'ebpf',
    podWaitMs: 3000,
    rateLimit: { dedupeWindowMs: 0, burst: 10_000, burstWindowMs: 1000 },
    onDetection: (d) => detections.push(d),
  });
  await watcher.start();
}, 60_000);

afterAll(async () => {
  watcher?.stop();
  await Promise.all(containers.map((c) => c.remove()));
  if (stateRoot) await rm(stateRoot, { recursive: true, force: true });
}, 60_000);

describe('kernel-side no-match memo', () => {
  test('a command run quietly stays in the kernel (and its exit); the same binary with a miner argv is detected', async () => {
    const c = await container();
    addPod('miner', c);
    const exitsBefore = kept().exits;
    await runUntilKept(c, ['sleep', '0'], 5);
    expect(kept().exits).toBeGreaterThan(exitsBefore);
    expect(mine(c)).toEqual([]);
    await c.exec(['sleep', '0', 'stratum+tcp://pool.example:3333']);
    const found = await until(() => mine(c).find((d) => d.ruleId === 'crypto-miner'));
    expect(found?.process.cmdline).toBe('sleep 0 stratum+tcp://pool.example:3333');
    expect(found?.source).toBe('ebpf');
  }, 90_000);

  test('the same exe in another container whose pod is runAsNonRoot is detected', async () => {
    const quiet = await container();
    addPod('root-ok', quiet);
    await runUntilKept(quiet, ['sleep', '0'], 3);
    const c = await container();
    addPod('non-root', c, true);
    await c.exec(['sleep', '0']);
    const found = await until(() =>
      mine(c).find((d) => d.ruleId === 'root-process-in-non-root-pod' && d.process.cmdline === 'sleep 0'),
    );
    expect(found?.pod?.name).toBe('non-root');
    expect(mine(quiet)).toEqual([]);
  }, 90_000);

  test('a container kept quiet before its pod was known is judged again once the pod is (runAsNonRoot)', async () => {
    const c = await container();
    await runUntilKept(c, ['sleep', '0'], 3); // no pod yet: judged without one, nothing matches
    expect(mine(c)).toEqual([]);
    addPod('late', c, true);
    // The memo looks at its containers again (every 2 s; the pod list at most every 5 s): the next run of the
    // very command it kept is judged with the pod.
    let found: Detection | undefined;
    for (let i = 0; i < 30 && !found; i++) {
      await c.exec(['sleep', '0']);
      found = await until(
        () =>
          mine(c).find((x) => x.ruleId === 'root-process-in-non-root-pod' && x.process.cmdline === 'sleep 0'),
        500,
      );
    }
    expect(found?.pod?.name).toBe('late');
  }, 90_000);

  test('a process whose exec stayed in the kernel runs cat /etc/shadow: detected, with that parent from the kernel', async () => {
    // The entrypoint runs the same inner shell over and over; from a parent inside the container it matches
    // nothing, so its exec soon stays in the kernel. From the 16th round on, /tmp/go exists and that same
    // quiet shell runs cat: cat's exec and open reach the rules; its parent is known only to the kernel.
    const script = 'if [ -e /tmp/go ]; then cat /etc/shadow >/dev/null; fi; sleep 0.3';
    const before = kept().execs;
    const c = await container({
      args: [
        'sh',
        '-c',
        `i=0; while true; do i=$((i+1)); [ $i -eq 16 ] && : > /tmp/go; sh -c '${script}'; done`,
      ],
      files: { '/etc/shadow': { content: 'root:*:19000:0:99999:7:::\n', mode: 0o600 } },
    });
    addPod('shadow', c);
    const found = await until(() => mine(c).find((d) => d.ruleId === 'sensitive-file-read'), 30_000);
    // Most of the inner shells' execs (and their `sleep`s) stayed in the kernel before cat ran.
    expect(kept().execs - before).toBeGreaterThanOrEqual(12);
    expect(found).toMatchObject({
      process: {
        cmdline: 'cat /etc/shadow',
        parentProcess: { exe: '/bin/busybox', cmdline: `sh -c ${script}` },
      },
      event: { type: 'open', file: '/etc/shadow' },
    });
    expect(found!.process.parentProcess!.pid).toBe(found!.process.ppid);
    expect(new Set(mine(c).map((d) => d.ruleId))).toEqual(new Set(['sensitive-file-read']));
    // Its loop keeps the kernel busy with kept execs: the memo counter the other scenarios read is global.
    await c.remove();
    containers.splice(containers.indexOf(c), 1);
  }, 90_000);

  test('a short process whose exec stayed in the kernel reads /etc/shadow: every read detected, the process whole', async () => {
    // cat's exec matches nothing (its open does): kept in the kernel after the first; it ends within a
    // millisecond of its open, before user space reads the open, so the kernel's entry must outlive the exit.
    const c = await container({
      files: { '/etc/shadow': { content: 'root:*:19000:0:99999:7:::\n', mode: 0o600 } },
    });
    addPod('short', c);
    await runUntilKept(c, ['cat', '/etc/shadow'], 5);
    const reads = await until(() => {
      const found = mine(c).filter((d) => d.ruleId === 'sensitive-file-read');
      return found.length >= 6 && found;
    });
    expect(reads).toBeTruthy();
    for (const d of reads!)
      expect(d.process).toMatchObject({ exe: '/bin/busybox', cmdline: 'cat /etc/shadow' });
  }, 90_000);

  test('after a rule-set change, a kept exec is judged again by the new rules', async () => {
    const c = await container();
    addPod('rules', c);
    await runUntilKept(c, ['sleep', '0'], 3);
    const dir = join(stateRoot, 'rules');
    await mkdir(dir);
    await writeFile(
      join(dir, 'sleep.yaml'),
      [
        'rules:',
        '  - id: sleep-in-container',
        '    description: sleep ran in a container.',
        '    severity: low',
        "    condition: evt.type == 'exec' && container.id != '' && proc.name == 'sleep' && proc.args.size() == 2",
        '    output: "sleep in {pod.name}: {proc.cmdline}"',
        '',
      ].join('\n'),
    );
    const builtin = await loadRuleSet([builtinRuntimeRulesDir()]);
    watcher.setRules(new RuleEngine(await loadRuleSet([builtinRuntimeRulesDir(), dir])));
    try {
      await c.exec(['sleep', '0']);
      const found = await until(() =>
        mine(c).find((d) => d.ruleId === 'sleep-in-container' && d.process.cmdline === 'sleep 0'),
      );
      expect(found?.pod?.name).toBe('rules');
    } finally {
      watcher.setRules(new RuleEngine(builtin));
    }
  }, 90_000);

  test('nothing was dropped', () => {
    watcher.refreshDrops();
    expect(watcher.stats.lost).toBe(0);
  });
});
