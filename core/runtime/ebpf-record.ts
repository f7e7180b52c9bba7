/**
 * The eBPF sensor's ring-buffer records (core/runtime/native/bpf/sensor.h, `struct sensor_event`) as typed
 * events. A batch from the loader is records back to back, each starting with its u32 size. Everything is
 * bounds-checked: a short or malformed record ends the batch with an error count, it never throws.
 */

export const SENSOR_KINDS = [
  'exec',
  'exit',
  'open',
  'connect',
  'accept',
  'listen',
  'dup',
  'memfd_create',
  'ptrace',
  'setuid',
  'setgid',
  'mount',
  'unshare',
  'setns',
  'module',
  'bpf',
] as const;
export type SensorKind = (typeof SENSOR_KINDS)[number];

/** `kind` number in the record: index in SENSOR_KINDS + 1 (sensor.h `enum sensor_kind`). */
export const kindNumber = (k: SensorKind) => SENSOR_KINDS.indexOf(k) + 1;

export const SENSOR_FLAGS = {
  exeDeleted: 1 << 0,
  exeMemfd: 1 << 1,
  argsCut: 1 << 2,
  pathCut: 1 << 3,
  cgroupNames: 1 << 4,
  inContainer: 1 << 5,
} as const;

export interface SocketAddress {
  family: 'inet' | 'inet6' | 'unix' | 'other';
  address: string;
  port: number;
}

export interface SensorEvent {
  kind: SensorKind;
  /** The syscall variant (sensor.h `enum sensor_sub`): openat vs openat2, dup2 vs dup3, … */
  sub: number;
  flags: number;
  pid: number;
  tid: number;
  ppid: number;
  uid: number;
  gid: number;
  /** CLOCK_BOOTTIME, nanoseconds. */
  timeNs: bigint;
  cgroupId: bigint;
  parentCgroupId: bigint;
  ret: bigint;
  args: [bigint, bigint, bigint, bigint];
  comm: string;
  remote?: SocketAddress;
  local?: SocketAddress;
  /** path (exe, opened file, memfd name, mount source, setns/finit_module fd target). */
  path: string;
  /** exec: argv (NUL-separated bytes); mount: the target. */
  argsRaw: Uint8Array;
  cwd: string;
  filename: string;
  /** mount: the file-system type. */
  extra: string;
  /** Leaf-first cgroup path, present the first time a cgroup is reported. */
  cgroupPath?: string;
  ancestors: Array<{ pid: number; comm: string }>;
  /** Identical opens the loader folded into this record (src/ebpf_sensor.c): it stands for 1 + repeats. */
  repeats: number;
  /** CLOCK_BOOTTIME of the process's exec as the kernel's process table knows it (0: not there), and of its
   * parent's: which process a pid names, against reuse (sensor.h `exec_ns`). */
  execNs: bigint;
  parentExecNs: bigint;
  /** exec: the kernel's no-match memo key (sensor.h `quiet_key`); 0 otherwise. */
  quietKey: bigint;
  /** exec: the record's bytes but its ids and time (pids, tid, timestamp, ancestors' pids, repeat count), as
   * text: two execs with the same key said the same to the kernel (rule memo, watcher.ts). */
  key?: string;
}

const HEADER = 296;
const STR = { path: 0, args: 1, cwd: 2, filename: 3, extra: 4, cgroup: 5 } as const;

function cString(buf: Buffer, start: number, end: number): string {
  const nul = buf.indexOf(0, start);
  return buf.toString('utf8', start, nul >= 0 && nul < end ? nul : end);
}

/** A sockaddr_in / sockaddr_in6 as the kernel and sensor.bpf.c fill it (family, port big-endian, address). */
export function parseSockaddr(buf: Buffer, at: number): SocketAddress | undefined {
  const family = buf.readUInt16LE(at);
  if (family === 0) return undefined;
  const port = buf.readUInt16BE(at + 2);
  if (family === 2) return { family: 'inet', port, address: [...buf.subarray(at + 4, at + 8)].join('.') };
  if (family === 10) {
    const raw = buf.subarray(at + 8, at + 24);
    // ::ffff:a.b.c.d (an IPv4 peer on an IPv6 socket) reads as the IPv4 address it is.
    if (raw.subarray(0, 10).every((b) => b === 0) && raw[10] === 0xff && raw[11] === 0xff)
      return { family: 'inet6', port, address: [...raw.subarray(12)].join('.') };
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push(raw.readUInt16BE(i).toString(16));
    return { family: 'inet6', port, address: compressIpv6(groups) };
  }
  return { family: family === 1 ? 'unix' : 'other', port: 0, address: '' };
}

function compressIpv6(groups: string[]): string {
  let best = { at: -1, len: 0 };
  for (let i = 0; i < 8; ) {
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > best.len && j - i > 1) best = { at: i, len: j - i };
    i = j > i ? j : i + 1;
  }
  if (best.at < 0) return groups.join(':');
  return `${groups.slice(0, best.at).join(':')}::${groups.slice(best.at + best.len).join(':')}`;
}

const EMPTY = new Uint8Array(0);
let scratch = Buffer.alloc(HEADER + 8192);

/** sensor.h offsets of what differs between two runs of the same command: pid, tid, ppid; time; the pid in
 * its own namespace (arg[3]); ancestors' pids; repeats; exec ids and the kernel's memo key. Whether either pid is 1 stays in (a namespace's init
 * is a rule field). */
function execKey(buf: Buffer, view: DataView, at: number, size: number, pid: number): string {
  if (scratch.length < size) scratch = Buffer.alloc(size);
  const nsInit = view.getUint32(at + 80, true) === 1 && view.getUint32(at + 84, true) === 0;
  buf.copy(scratch, 0, at, at + size);
  scratch.fill(0, 0, 4).fill(0, 8, 20).fill(0, 32, 40).fill(0, 80, 88).fill(0, 172, 188).fill(0, 264, 296);
  scratch[8] = pid === 1 ? 1 : 0;
  scratch[80] = nsInit ? 1 : 0;
  return scratch.toString('latin1', 0, size);
}

/** An exit: only the process it ends matters (the watcher's process table), and its cgroup's path the first
 * time, and its exit code. Read apart from the other kinds: the kernel sends no strings and no ancestors with it
 * (sensor.bpf.c `on_exit`), so only the common header is read. */
function exitEvent(buf: Buffer, view: DataView, at: number, flags: number, cgroupPath?: string): SensorEvent {
  return {
    kind: 'exit',
    sub: 0,
    flags,
    pid: view.getUint32(at + 8, true),
    tid: view.getUint32(at + 12, true),
    ppid: view.getUint32(at + 16, true),
    uid: view.getUint32(at + 20, true),
    gid: view.getUint32(at + 24, true),
    timeNs: view.getBigUint64(at + 32, true),
    cgroupId: view.getBigUint64(at + 40, true),
    ret: 0n,
    args: [view.getBigUint64(at + 56, true), 0n, 0n, 0n], // the exit code

    comm: cString(buf, at + 88, at + 104),
    path: '',
    argsRaw: EMPTY,
    cwd: '',
    filename: '',
    extra: '',
    ...(cgroupPath ? { cgroupPath } : {}),
    parentCgroupId: 0n,
    ancestors: [],
    repeats: 0,
    execNs: view.getBigUint64(at + 272, true),
    parentExecNs: 0n,
    quietKey: 0n,
  };
}

/**
 * Parses one record at `at`; `undefined` when it does not fit or names an unknown kind. Runs for every record
 * the kernel sends, in a watcher that runs without the optimising compiler (docs/benchmarks.md, Runtime
 * sensors): fields are read through one DataView (a builtin, where Buffer's readers are interpreted JS), with
 * no per-field closures or arrays.
 */
export function parseRecord(
  buf: Buffer,
  at: number,
  view = new DataView(buf.buffer, buf.byteOffset, buf.length),
): { event?: SensorEvent; size: number } {
  if (at + HEADER > buf.length) return { size: 0 };
  const size = view.getUint32(at, true);
  if (size < HEADER || at + size > buf.length) return { size: 0 };
  const kind = SENSOR_KINDS[view.getUint16(at + 4, true) - 1];
  if (!kind) return { size };
  // Strings follow the header in order, each followed by one NUL (argv keeps its own NULs).
  const starts = [0, 0, 0, 0, 0, 0];
  const lens = [0, 0, 0, 0, 0, 0];
  let p = at + HEADER;
  const end = at + size;
  for (let i = 0; i < 6; i++) {
    const len = view.getUint16(at + 160 + i * 2, true);
    if (len === 0 || p + len > end) continue;
    starts[i] = p;
    lens[i] = len;
    p += len + 1;
  }
  const text = (i: number) => (lens[i] ? buf.toString('utf8', starts[i], starts[i]! + lens[i]!) : '');
  const flags = view.getUint16(at + 6, true);
  const cgroupPath = flags & SENSOR_FLAGS.cgroupNames && lens[STR.cgroup] ? text(STR.cgroup) : undefined;
  if (kind === 'exit') return { size, event: exitEvent(buf, view, at, flags, cgroupPath) };
  const pid = view.getUint32(at + 8, true);
  const ancestors: SensorEvent['ancestors'] = [];
  for (let i = 0; i < 4; i++) {
    const pid = view.getUint32(at + 172 + i * 4, true);
    if (pid === 0) break;
    ancestors.push({ pid, comm: cString(buf, at + 188 + i * 16, at + 204 + i * 16) });
  }
  const repeats = view.getBigUint64(at + 264, true);
  return {
    size,
    event: {
      kind,
      sub: view.getUint32(at + 28, true),
      flags,
      pid,
      tid: view.getUint32(at + 12, true),
      ppid: view.getUint32(at + 16, true),
      uid: view.getUint32(at + 20, true),
      gid: view.getUint32(at + 24, true),
      timeNs: view.getBigUint64(at + 32, true),
      cgroupId: view.getBigUint64(at + 40, true),
      ret: view.getBigInt64(at + 48, true),
      args: [
        view.getBigUint64(at + 56, true),
        view.getBigUint64(at + 64, true),
        view.getBigUint64(at + 72, true),
        view.getBigUint64(at + 80, true),
      ],
      comm: cString(buf, at + 88, at + 104),
      remote: view.getUint16(at + 104, true) ? parseSockaddr(buf, at + 104) : undefined,
      local: view.getUint16(at + 132, true) ? parseSockaddr(buf, at + 132) : undefined,
      path: text(STR.path),
      argsRaw: lens[STR.args] ? buf.subarray(starts[STR.args], starts[STR.args]! + lens[STR.args]!) : EMPTY,
      cwd: text(STR.cwd),
      filename: text(STR.filename),
      extra: text(STR.extra),
      ...(cgroupPath ? { cgroupPath } : {}),
      parentCgroupId: view.getBigUint64(at + 256, true),
      ancestors,
      // A count, not an id: a corrupt value is capped rather than trusted to be small.
      repeats: repeats > 1_000_000_000n ? 1e9 : Number(repeats),
      execNs: view.getBigUint64(at + 272, true),
      parentExecNs: view.getBigUint64(at + 280, true),
      quietKey: view.getBigUint64(at + 288, true),
      ...(kind === 'exec' ? { key: execKey(buf, view, at, size, pid) } : {}),
    },
  };
}

/** Every record of a batch; `malformed` counts a tail that did not parse (the rest of that batch). */
export function parseBatch(buf: Buffer): { events: SensorEvent[]; malformed: number } {
  const events: SensorEvent[] = [];
  const view = new DataView(buf.buffer, buf.byteOffset, buf.length);
  let at = 0;
  while (at < buf.length) {
    const { event, size } = parseRecord(buf, at, view);
    if (size === 0) return { events, malformed: 1 };
    if (event) events.push(event);
    at += size;
  }
  return { events, malformed: 0 };
}
