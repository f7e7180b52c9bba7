import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type CgroupContainer, containerFromCgroup } from './cgroup-container.js';
import { SENSOR_FLAGS, type SensorEvent } from './ebpf-record.js';
import { type KernelProcess, PROC_FLAGS } from './ebpf-sensor.js';
import { parseCmdline } from './proc-parse.js';
import type { ProcessInfo } from './process-info.js';
import type { EventContext, KernelDetail } from './rule-input.js';

const S_IFMT = 0o170000n;
const MAX_PROCESSES = 65_536;
const MAX_CGROUPS = 16_384;
const MAX_COMMANDS = 1024;

/** What fds 0–2 are, from the kernel's view of each (sensor.h: mode | family << 32 | char major << 48). */
export function stdioKind(d: bigint): string {
  const mode = d & S_IFMT;
  if (mode === 0n) return 'unknown';
  if (mode === 0o140000n) {
    const family = Number((d >> 32n) & 0xffffn);
    return family === 2 || family === 10 ? 'socket' : 'unix-socket';
  }
  if (mode === 0o010000n) return 'pipe';
  if (mode === 0o020000n) {
    const major = Number((d >> 48n) & 0xfffn);
    if (major === 136 || major === 4 || major === 5) return 'tty'; // pts, tty, console
    return major === 1 ? 'null' : 'file';
  }
  return 'file';
}

/**
 * Identical opens in one batch (same process, file, flags: a loop re-reading a file) as one event with a
 * count: a flood is judged once per distinct event, and the count rides on the detection as repeats.
 */
export function foldRepeats(events: SensorEvent[]): Array<{ event: SensorEvent; count: number }> {
  const out: Array<{ event: SensorEvent; count: number }> = [];
  const index = new Map<string, number>();
  for (const e of events) {
    const count = 1 + e.repeats;
    if (e.kind !== 'open') {
      out.push({ event: e, count });
      continue;
    }
    const key = `${e.pid}\u0000${e.cgroupId}\u0000${e.args[0]}\u0000${e.path}`;
    const at = index.get(key);
    if (at === undefined) {
      index.set(key, out.length);
      out.push({ event: e, count });
    } else out[at]!.count += count;
  }
  return out;
}

interface Known {
  proc: ProcessInfo;
  cgroupId: bigint;
  /** The exec it came from (sensor.h `exec_ns`): a record naming the pid with another is another process. */
  execNs: bigint;
  /** Every fact of the exec is here (false: read from the kernel's table with a string cut). */
  whole: boolean;
}

/**
 * Turns sensor records into the watcher's events: a process table fed by exec records (so an open or a
 * connect is attributed to the command line that made it, read from the kernel, not raced from /proc), and
 * the container of each cgroup id (its path comes with the first record of that cgroup).
 */
export class KernelEvents {
  private readonly processes = new Map<number, Known>();
  private readonly cgroups = new Map<bigint, CgroupContainer | null>();
  /** Parsed (masked) command lines by their raw argv: a node runs the same commands over and over, and
   * masking a command line runs every secret pattern over it (docs/benchmarks.md, Runtime sensors). */
  private readonly commands = new Map<string, { args: string[]; cmdline: string }>();

  /** The kernel's process table (ebpf-sensor.ts `KernelMemo.lookupProcess`), once the sensor runs. */
  lookupProcess?: (pid: number, execNs: bigint) => KernelProcess | undefined;
  /** Tells the kernel's table an exit was read (it keeps an ended process's entry until then). */
  forgetProcess?: (pid: number, execNs: bigint) => void;

  constructor(
    private readonly procRoot: string,
    private readonly node: string,
  ) {}

  container(e: SensorEvent): CgroupContainer | undefined {
    if (e.cgroupPath !== undefined) {
      const path = e.cgroupPath.split('/').reverse().join('/');
      if (this.cgroups.size >= MAX_CGROUPS) this.cgroups.clear();
      this.cgroups.set(e.cgroupId, containerFromCgroup(`0::/${path}`) ?? null);
    }
    const known = this.cgroups.get(e.cgroupId);
    if (known !== undefined) return known ?? undefined;
    // The record that carried this cgroup's path was dropped: ask /proc (the process may be gone).
    try {
      const found = containerFromCgroup(readFileSync(join(this.procRoot, String(e.pid), 'cgroup'), 'utf8'));
      this.cgroups.set(e.cgroupId, found ?? null);
      return found;
    } catch {
      return undefined;
    }
  }

  /** The process an event belongs to; for an exec, the process it became. */
  private process(e: SensorEvent): ProcessInfo {
    if (e.kind === 'exec') {
      const { args, cmdline } = this.command(e.argsRaw, (e.flags & SENSOR_FLAGS.argsCut) !== 0);
      const proc: ProcessInfo = {
        pid: e.pid,
        ppid: e.ppid,
        name: e.comm,
        exe: e.path,
        args,
        cmdline,
        uid: e.uid,
        cwd: e.cwd,
        stdio: [0, 1, 2].map((i) => stdioKind(e.args[i]!)),
        isNamespaceInit: e.args[3] === 1n && e.pid !== 1,
        cgroup: '',
      };
      this.remember({ proc, cgroupId: e.cgroupId, execNs: e.execNs, whole: true });
      return proc;
    }
    const known = this.known(e.pid, e.execNs)?.proc;
    if (known) return known;
    // Started before the sensor, or forked without exec: what the record itself says.
    return {
      pid: e.pid,
      ppid: e.ppid,
      name: e.comm,
      exe: '',
      args: [],
      cmdline: e.comm,
      uid: e.uid,
      cwd: '',
      stdio: [],
      isNamespaceInit: false,
      cgroup: '',
    };
  }

  private remember(k: Known): void {
    if (this.processes.size >= MAX_PROCESSES) this.processes.clear();
    this.processes.set(k.proc.pid, k);
  }

  /**
   * The process `pid` as of its exec at `execNs` (the record's view of the kernel's table; 0: not there): from
   * this table, else from the kernel's, where a process whose exec stayed in the kernel (no-match memo) is.
   * An entry of another exec (a reused pid, an exec since) is not it.
   */
  private known(pid: number, execNs: bigint): Known | undefined {
    if (execNs === 0n) return undefined;
    const mine = this.processes.get(pid);
    if (mine?.execNs === execNs) return mine;
    const k = this.lookupProcess?.(pid, execNs);
    if (!k || k.execNs !== execNs) return undefined;
    const cut = (k.flags & PROC_FLAGS.cut) !== 0;
    const { args, cmdline } = this.command(k.args, cut);
    const found: Known = {
      proc: {
        pid,
        ppid: k.ppid,
        name: k.comm,
        exe: k.exe,
        args,
        cmdline,
        uid: k.uid,
        cwd: k.cwd,
        stdio: k.stdio.map(stdioKind),
        isNamespaceInit: k.nsPid === 1 && pid !== 1,
        cgroup: '',
      },
      cgroupId: k.cgroupId,
      execNs,
      whole: !cut,
    };
    this.remember(found);
    return found;
  }

  private command(argsRaw: Uint8Array, cut: boolean): { args: string[]; cmdline: string } {
    const raw = `${cut ? 1 : 0}${Buffer.from(argsRaw.buffer, argsRaw.byteOffset, argsRaw.length).toString('latin1')}`;
    const known = this.commands.get(raw);
    if (known) return { args: [...known.args], cmdline: known.cmdline };
    const parsed = parseCmdline(argsRaw, cut);
    if (this.commands.size >= MAX_COMMANDS) this.commands.delete(this.commands.keys().next().value!);
    this.commands.set(raw, { args: [...parsed.args], cmdline: parsed.cmdline });
    return parsed;
  }

  private parent(e: SensorEvent): { parent?: ProcessInfo; parentContainerId?: string; parentWhole: boolean } {
    const known = this.known(e.ppid, e.parentExecNs);
    const anc = e.ancestors[0];
    const parent: ProcessInfo | undefined =
      known?.proc ??
      (anc
        ? {
            pid: anc.pid,
            ppid: e.ancestors[1]?.pid ?? 0,
            name: anc.comm,
            exe: '',
            args: [],
            cmdline: anc.comm,
            uid: -1,
            cwd: '',
            stdio: [],
            isNamespaceInit: false,
            cgroup: '',
          }
        : undefined);
    // Whether the parent is all the kernel's memo key took of it (sensor.bpf.c `exec_key`): the table entry
    // its `parent_exec_ns` names, whole; or none, when the kernel had none either.
    const parentWhole = e.parentExecNs === 0n || known?.whole === true;
    if (e.kind !== 'exec') return { parent, parentWhole };
    // The kernel gave the parent's cgroup: the same as ours is inside, another container's or the host's is not.
    const parentCgroup = e.parentCgroupId;
    const parentContainerId =
      parentCgroup === e.cgroupId
        ? (this.cgroups.get(e.cgroupId)?.id ?? '')
        : (this.cgroups.get(parentCgroup)?.id ?? '');
    return { parent, parentContainerId, parentWhole };
  }

  /** The event as the watcher evaluates it (pod and image filled in later); undefined for bookkeeping only. */
  toContext(e: SensorEvent): EventContext | undefined {
    const container = this.container(e);
    if (e.kind === 'exit') {
      this.processes.delete(e.pid);
      if (e.execNs !== 0n) this.forgetProcess?.(e.pid, e.execNs);
      return undefined;
    }
    const proc = this.process(e);
    const { parentWhole, ...parent } = this.parent(e);
    return {
      type: e.kind,
      source: 'ebpf',
      node: this.node,
      proc,
      ...parent,
      container,
      fds: [],
      kernel: this.detail(e),
      ...(e.key ? { recordKey: e.key } : {}),
      // The kernel may remember this exec's "no match" only if the rules saw all its key stands for.
      ...(e.kind === 'exec' && e.quietKey !== 0n && parentWhole
        ? { kernelMemo: { key: e.quietKey, cgroupId: e.cgroupId } }
        : {}),
    };
  }

  private detail(e: SensorEvent): KernelDetail {
    const a = e.args.map(Number);
    const d: KernelDetail = { ancestors: e.ancestors.map((x) => x.comm), remote: e.remote, local: e.local };
    switch (e.kind) {
      case 'exec':
        d.exeDeleted = (e.flags & SENSOR_FLAGS.exeDeleted) !== 0;
        d.exeMemfd = (e.flags & SENSOR_FLAGS.exeMemfd) !== 0;
        d.filename = e.filename;
        break;
      case 'open': {
        const flags = a[0]!;
        d.file = { path: e.path, flags, write: (flags & 3) !== 0 || (flags & 0o1100) !== 0 };
        break;
      }
      case 'connect':
        d.connectResult = Number(e.ret);
        break;
      case 'dup':
        d.dup = { oldfd: a[0]!, newfd: a[1]! };
        break;
      case 'memfd_create':
        d.memfd = { name: e.path, flags: a[0]! };
        break;
      case 'ptrace':
        d.ptrace = { request: a[0]!, targetPid: a[1]! };
        break;
      case 'setuid':
      case 'setgid':
        d.setid = { ids: a.slice(0, 3).filter((x) => x !== 0xffffffff), uid: e.uid, gid: e.gid };
        break;
      case 'mount':
        d.mount = {
          source: e.path,
          target: new TextDecoder().decode(e.argsRaw),
          fstype: e.extra,
          flags: a[0]!,
        };
        break;
      case 'unshare':
        d.ns = { flags: a[0]!, type: 0, path: '' };
        break;
      case 'setns':
        // A namespace file reads as /proc/<pid>/ns/<type> links do: `mnt:[4026531841]` (sensor.bpf.c, K_SETNS).
        d.ns = { flags: 0, type: a[1]!, path: e.extra ? `${e.extra}:[${a[2]}]` : e.path };
        break;
      case 'module':
        d.module = { path: e.path };
        break;
      case 'bpf':
        d.bpf = { cmd: a[0]! };
        break;
    }
    return d;
  }
}
