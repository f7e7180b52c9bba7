import { readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { kindNumber, parseBatch, type SensorEvent } from './ebpf-record.js';
import type { ExecListener, ExecSource } from './exec-source.js';
import type { KernelFilter } from './kernel-filter.js';

/** The kernel's process table entry of a pid (sensor.h `struct proc_entry`). */
export interface KernelProcess {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  execNs: bigint;
  cgroupId: bigint;
  /** sensor.h `enum proc_flag`: 1 its exec stayed in the kernel, 2 a string was cut, 4 user space heard of it,
   * 8 it ended. */
  flags: number;
  comm: string;
  exe: string;
  /** argv, NUL-separated, cut at 511 bytes. */
  args: Buffer;
  cwd: string;
  /** The exec record's fds 0-2 (kernel-events.ts `stdioKind`) and pid in its own namespace. */
  stdio: bigint[];
  nsPid: number;
}

export const PROC_FLAGS = { quiet: 1, cut: 2, seen: 4, exited: 8 } as const;

/**
 * The kernel's no-match memo (bpf/sensor.bpf.c `quiet_execs`) and process table, as the watcher drives them:
 * user space alone decides what is quiet; the kernel only remembers it.
 */
export interface KernelMemo {
  /** Execs with this key (the record's `quietKey`) stay in the kernel from now on, and their exits too. */
  quiet(key: bigint): void;
  /** What rules see of this cgroup's container changed (its pod, its image's files): judge its execs again. */
  rejudgeCgroup(cgroupId: bigint): void;
  /** The rule set changed: judge every exec again. */
  rejudgeAll(): void;
  /** The kernel's table entry of that exec (`execNs`) of `pid`: its current one or the one before. */
  lookupProcess(pid: number, execNs: bigint): KernelProcess | undefined;
  /** The exit of that exec of `pid` was read: the kernel's table may drop it (it kept it until then). */
  forgetProcess(pid: number, execNs: bigint): void;
  /** Execs and exits kept in the kernel since start. */
  hits(): { execs: number; exits: number };
}

interface SensorHandle {
  close(): void;
  drops(): number;
  addContainerRoot(id: string): void;
  quietExec(key: bigint): void;
  rejudgeCgroup(id: bigint): void;
  rejudgeAll(): void;
  lookupProcess(pid: number, execNs: bigint): KernelProcess | null;
  quietHits(): { execs: number; exits: number };
  forgetProcess(pid: number, execNs: bigint): void;
  refilter(filter: { kinds: number; prefixes: KernelFilter['prefixes'] }): void;
}

interface EbpfAddon {
  open?: (
    options: Record<string, unknown>,
    callback: (batch: Buffer, bootToEpochMs: number) => void,
  ) => SensorHandle;
  loadError?: string;
  objectPath: string;
  objectBuilt: boolean;
}

/** Top-level cgroups under which container runtimes put containers (kubelet cgroupfs/systemd, Docker, Podman). */
export const CONTAINER_CGROUP_ROOTS = ['kubepods', 'kubepods.slice', 'docker', 'machine.slice'];

export interface EbpfSensorOptions {
  /** The host's cgroup file system (`/sys/fs/cgroup`; in the agent pod, the host's mounted there). */
  cgroupRoot: string;
  filter: KernelFilter;
  /** Report processes outside containers too (`--host`). */
  includeHost?: boolean;
  /** Ring buffer size in bytes (a power of two, ≥ 4 KiB); default 1 MiB (≈ 3,000 records; behind it the loader
   * queues up to 16 batches of 256 KiB while JavaScript is busy, and folds repeated opens). */
  ringBytes?: number;
  /** How long a batch of records waits for more before it goes to JavaScript (default 25 ms): one call into
   * JavaScript per exec was most of an idle node's cost; bounded well under the 50 ms latency target. */
  holdMs?: number;
  onLog?: (line: string) => void;
}

export type KernelEventsListener = (events: SensorEvent[], bootToEpochMs: number) => void;

export interface EbpfSource extends ExecSource {
  /** Records the kernel could not queue (ring buffer full), since start. */
  drops(): number;
  memo: KernelMemo;
}

/**
 * The addon is looked up beside this file first (a checkout: core/runtime/native, from sources or from
 * dist/), so a checkout runs the sensor it built, then as the installed package (the release image).
 */
function loadAddon(): EbpfAddon {
  const require = createRequire(import.meta.url);
  const errors: string[] = [];
  for (const id of [
    './native/ebpf.cjs',
    '../../../core/runtime/native/ebpf.cjs',
    'seco-proc-connector/ebpf',
  ]) {
    try {
      const addon = require(id) as EbpfAddon;
      if (addon.open && addon.objectBuilt) return addon;
      errors.push(
        addon.loadError ?? (addon.open ? `no compiled object at ${addon.objectPath}` : 'not built'),
      );
    } catch (error) {
      errors.push((error as Error).message.split('\n')[0]!);
    }
  }
  throw new Error(`eBPF sensor not available: ${[...new Set(errors)].join('; ')}`);
}

/** Cgroup ids (inode numbers) of the container roots in every mounted hierarchy (cgroup v1, v2, hybrid). */
export function containerRootIds(cgroupRoot: string): string[] {
  const hierarchies = [cgroupRoot];
  try {
    for (const d of readdirSync(cgroupRoot, { withFileTypes: true }))
      if (d.isDirectory()) hierarchies.push(join(cgroupRoot, d.name));
  } catch {
    return [];
  }
  const ids: string[] = [];
  for (const h of hierarchies)
    for (const name of CONTAINER_CGROUP_ROOTS) {
      // Not there (yet): looked for again while the sensor runs. No exception for it: the rescan runs for
      // as long as the sensor does, and most of these names are absent on any one machine.
      const found = statSync(join(h, name), { bigint: true, throwIfNoEntry: false });
      if (found) ids.push(found.ino.toString());
    }
  return [...new Set(ids)];
}

/**
 * Starts the eBPF sensor: loads the CO-RE object, fills its filters, delivers parsed records. Throws, saying
 * why, when the addon or object is not built or the kernel refuses (no BTF, no CAP_BPF/CAP_PERFMON).
 */
export function startEbpfSensor(o: EbpfSensorOptions, listener: ExecListener): EbpfSource {
  const addon = loadAddon();
  const roots = new Set(containerRootIds(o.cgroupRoot));
  let malformed = 0;
  const kinds = (f: KernelFilter) => f.kinds.reduce((mask, k) => mask | (1 << kindNumber(k)), 0);
  const handle = addon.open!(
    {
      objectPath: addon.objectPath,
      ringBytes: o.ringBytes ?? 1 << 20,
      holdMs: o.holdMs ?? 25,
      includeHost: o.includeHost ? 1 : 0,
      selfPid: process.pid,
      kinds: kinds(o.filter),
      containerRoots: [...roots],
      prefixes: o.filter.prefixes,
    },
    (batch, bootToEpochMs) => {
      const parsed = parseBatch(batch);
      if (parsed.malformed && malformed++ === 0) o.onLog?.('eBPF sensor: a malformed record ended a batch');
      if (parsed.events.length) listener([{ kind: 'kernel', events: parsed.events, bootToEpochMs }]);
    },
  );
  // kubelet (or Docker) may create its top-level cgroup after the agent starts: look again until all are there.
  const rescan = setInterval(() => {
    for (const id of containerRootIds(o.cgroupRoot))
      if (!roots.has(id)) {
        roots.add(id);
        handle.addContainerRoot(id);
      }
  }, 2000);
  rescan.unref();
  return {
    source: 'ebpf',
    drops: () => handle.drops(),
    memo: {
      quiet: (key) => handle.quietExec(key),
      rejudgeCgroup: (id) => handle.rejudgeCgroup(id),
      rejudgeAll: () => handle.rejudgeAll(),
      lookupProcess: (pid, execNs) => handle.lookupProcess(pid, execNs) ?? undefined,
      forgetProcess: (pid, execNs) => handle.forgetProcess(pid, execNs),
      hits: () => handle.quietHits(),
    },
    refilter: (filter) => handle.refilter({ kinds: kinds(filter), prefixes: filter.prefixes }),
    stop() {
      clearInterval(rescan);
      handle.close();
    },
  };
}
