import { describe, expect, test } from '@jest/globals';
import type { KernelMemo } from '../../../core/runtime/ebpf-sensor.js';
import { KernelQuietMemo } from '../../../core/runtime/kernel-quiet-memo.js';
import type { PodContainer } from '../../../core/runtime/pod-index.js';
import type { EventContext } from '../../../core/runtime/rule-input.js';

/** The kernel side as a log of what the watcher asked of it (the BPF maps are exercised in
 * test/integration/runtime/ebpf-kernel-memo.test.ts). */
function kernel() {
  const calls: string[] = [];
  const memo: KernelMemo = {
    quiet: (key) => calls.push(`quiet ${key}`),
    rejudgeCgroup: (id) => calls.push(`rejudge ${id}`),
    rejudgeAll: () => calls.push('rejudge all'),
    lookupProcess: () => undefined,
    forgetProcess: () => {},
    hits: () => ({ execs: 0, exits: 0 }),
  };
  return { calls, memo };
}

const pod = (runAsNonRoot: boolean): PodContainer => ({
  namespace: 'shop',
  pod: 'web',
  podUid: 'u1',
  container: 'app',
  image: 'busybox',
  imageId: '',
  runAsNonRoot,
  serviceAccount: 'default',
  ports: [],
});

function exec(key: bigint, p?: PodContainer, imageFiles?: ReadonlySet<string>, memo = true): EventContext {
  return {
    type: 'exec',
    source: 'ebpf',
    node: 'n',
    proc: {
      pid: 5,
      ppid: 1,
      name: 'ls',
      exe: '/bin/ls',
      args: ['ls'],
      cmdline: 'ls',
      uid: 0,
      cwd: '/',
      stdio: [],
      isNamespaceInit: false,
      cgroup: '',
    },
    container: { id: 'c1', runtime: 'containerd' },
    fds: [],
    pod: p,
    imageFiles,
    ...(memo ? { kernelMemo: { key, cgroupId: 77n } } : {}),
  };
}

describe('kernel no-match memo, as the watcher drives it', () => {
  test('a judged exec goes in; one the kernel may not remember (parent not whole) does not', () => {
    const { calls, memo } = kernel();
    const ids = new WeakMap<object, number>();
    const m = new KernelQuietMemo({
      memo,
      pod: () => pod(false),
      identity: (o) => (o ? (ids.get(o) ?? 1) : 0),
      recheckMs: 1e9,
    });
    m.remember(exec(1n, pod(false)));
    m.remember(exec(2n, pod(false), undefined, false));
    m.stop();
    expect(calls).toEqual(['quiet 1']);
  });

  test('judged with other pod facts than the keys already kept: the cgroup is judged again, the key not kept', () => {
    const { calls, memo } = kernel();
    const m = new KernelQuietMemo({ memo, pod: () => pod(true), identity: () => 0, recheckMs: 1e9 });
    m.remember(exec(1n, pod(false)));
    m.remember(exec(2n, pod(true)));
    m.remember(exec(3n, pod(true)));
    m.stop();
    expect(calls).toEqual(['quiet 1', 'rejudge 77', 'quiet 3']);
  });

  test("a kept container's pod or image files changing is noticed by the recheck, once", async () => {
    const { calls, memo } = kernel();
    let current: PodContainer | undefined;
    let files: ReadonlySet<string> | undefined;
    const ids = new WeakMap<object, number>();
    let next = 1;
    const identity = (o: object | undefined) => {
      if (!o) return 0;
      if (!ids.has(o)) ids.set(o, next++);
      return ids.get(o)!;
    };
    const m = new KernelQuietMemo({
      memo,
      pod: () => current,
      imageFiles: async () => files,
      identity,
      recheckMs: 1e9,
    });
    m.remember(exec(1n)); // judged with no pod (the kubelet had not written the container id yet)
    expect(await m.recheck()).toBe(0);
    current = pod(true);
    expect(await m.recheck()).toBe(1);
    expect(await m.recheck()).toBe(0);
    current = { ...pod(true) }; // a pod list refreshed: another object, the same content
    expect(await m.recheck()).toBe(0);
    files = new Set(['/bin/ls']); // the image's SBOM became known
    expect(await m.recheck()).toBe(1);
    m.stop();
    expect(calls).toEqual(['quiet 1', 'rejudge 77', 'rejudge 77']);
  });

  test('a kept container without a pod lists pods again, at most every 5 s', async () => {
    const { memo } = kernel();
    let lists = 0;
    const m = new KernelQuietMemo({
      memo,
      pod: () => undefined,
      refreshPods: async () => void lists++,
      identity: () => 0,
      recheckMs: 1e9,
    });
    m.remember(exec(1n));
    await m.recheck();
    await m.recheck();
    m.stop();
    expect(lists).toBe(1);
  });

  test('a new rule set: everything is judged again and nothing is tracked', async () => {
    const { calls, memo } = kernel();
    const m = new KernelQuietMemo({ memo, pod: () => pod(true), identity: () => 0, recheckMs: 1e9 });
    m.remember(exec(1n, pod(false)));
    m.rejudgeAll();
    expect(await m.recheck()).toBe(0);
    m.stop();
    expect(calls).toEqual(['quiet 1', 'rejudge all']);
  });
});
