import { describe, expect, test } from '@jest/globals';
import type { SensorEvent } from '../../../core/runtime/ebpf-record.js';
import type { KernelProcess } from '../../../core/runtime/ebpf-sensor.js';
import { KernelEvents } from '../../../core/runtime/kernel-events.js';

function event(o: Partial<SensorEvent> & Pick<SensorEvent, 'kind' | 'pid'>): SensorEvent {
  return {
    sub: 0,
    flags: 0,
    tid: o.pid,
    ppid: 1,
    uid: 0,
    gid: 0,
    timeNs: 1n,
    cgroupId: 42n,
    parentCgroupId: 42n,
    ret: 3n,
    args: [0n, 0n, 0n, 0n],
    comm: 'cat',
    path: '',
    argsRaw: new Uint8Array(0),
    cwd: '/',
    filename: '',
    extra: '',
    ancestors: [],
    repeats: 0,
    execNs: 0n,
    parentExecNs: 0n,
    quietKey: 0n,
    ...o,
  };
}

const shell: KernelProcess = {
  pid: 20,
  ppid: 1,
  uid: 0,
  gid: 0,
  execNs: 7n,
  cgroupId: 42n,
  flags: 1,
  comm: 'sh',
  exe: '/bin/busybox',
  args: Buffer.from('sh\0-c\0while true; do cat /etc/shadow; done\0'),
  cwd: '/',
  stdio: [0n, 0n, 0n],
  nsPid: 5,
};

function events(table: KernelProcess[] = []): KernelEvents {
  const k = new KernelEvents('/nonexistent', 'n');
  k.lookupProcess = (pid, execNs) => table.find((p) => p.pid === pid && p.execNs === execNs);
  return k;
}

const open = (o: Partial<SensorEvent>) =>
  event({ kind: 'open', pid: 10, ppid: 20, path: '/etc/shadow', args: [0n, 0n, 0n, 0n], ...o });

describe("the watcher's process table over the kernel's", () => {
  test("a process whose exec stayed in the kernel is read from the kernel's table, its parent too", () => {
    const cat: KernelProcess = {
      ...shell,
      pid: 10,
      ppid: 20,
      execNs: 9n,
      comm: 'cat',
      args: Buffer.from('cat\0/etc/shadow\0'),
    };
    const c = events([shell, cat]).toContext(open({ execNs: 9n, parentExecNs: 7n }))!;
    expect(c.proc).toMatchObject({ pid: 10, exe: '/bin/busybox', cmdline: 'cat /etc/shadow' });
    expect(c.parent).toMatchObject({
      pid: 20,
      name: 'sh',
      cmdline: 'sh -c while true; do cat /etc/shadow; done',
    });
  });

  test("an entry of another exec of that pid (reused, or exec'd again) is not used", () => {
    const k = events([shell]);
    k.toContext(
      event({ kind: 'exec', pid: 10, execNs: 3n, path: '/bin/ls', argsRaw: Buffer.from('ls\0'), comm: 'ls' }),
    );
    const c = k.toContext(open({ execNs: 9n, parentExecNs: 8n }))!;
    expect(c.proc).toMatchObject({ pid: 10, name: 'cat', exe: '', cmdline: 'cat' });
    expect(c.parent).toBeUndefined();
    expect(k.toContext(open({ execNs: 3n }))!.proc).toMatchObject({ exe: '/bin/ls', cmdline: 'ls' });
  });

  test('an exec may be remembered by the kernel only with the parent its key took, whole', () => {
    const k = events([shell, { ...shell, pid: 21, execNs: 11n, flags: 3 }]);
    const child = (ppid: number, parentExecNs: bigint) =>
      k.toContext(
        event({ kind: 'exec', pid: 30, ppid, execNs: 12n, parentExecNs, quietKey: 99n, path: '/bin/true' }),
      )!;
    expect(child(20, 7n).kernelMemo).toEqual({ key: 99n, cgroupId: 42n });
    expect(child(1, 0n).kernelMemo).toEqual({ key: 99n, cgroupId: 42n }); // no parent in the kernel's table either
    expect(child(21, 11n).kernelMemo).toBeUndefined(); // a cut string: not all the key stands for
    expect(child(22, 13n).kernelMemo).toBeUndefined(); // gone before it was read
  });
});
