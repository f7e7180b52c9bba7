import type { CgroupContainer } from './cgroup-container.js';
import type { SensorKind, SocketAddress } from './ebpf-record.js';
import type { PodContainer } from './pod-index.js';
import type { EventSource, ProcessInfo } from './process-info.js';
import type { RuleInput } from './rule-engine.js';

/** What the eBPF sensor adds to an event (absent for the connector and the poller). */
export interface KernelDetail {
  ancestors?: string[];
  remote?: SocketAddress;
  local?: SocketAddress;
  exeDeleted?: boolean;
  exeMemfd?: boolean;
  /** exec: the path as passed to execve (`/dev/fd/3` for an fexecve). */
  filename?: string;
  file?: { path: string; flags: number; write: boolean };
  connectResult?: number;
  /** connect: the first outbound connection of this workload since the watcher started. */
  firstOutbound?: boolean;
  dup?: { oldfd: number; newfd: number };
  memfd?: { name: string; flags: number };
  ptrace?: { request: number; targetPid: number };
  /** setuid/setgid family: the ids asked for, and the caller's real uid and gid when it asked. */
  setid?: { ids: number[]; uid?: number; gid?: number };
  mount?: { source: string; target: string; fstype: string; flags: number };
  ns?: { flags: number; type: number; path: string };
  module?: { path: string };
  bpf?: { cmd: number };
}

export interface EventContext {
  type: SensorKind | 'listen' | 'snapshot';
  source: EventSource | 'socket-poll';
  node: string;
  proc: ProcessInfo;
  parent?: ProcessInfo;
  /** Container of the parent: '' for the host, undefined when the parent could not be read. */
  parentContainerId?: string;
  container?: CgroupContainer;
  pod?: PodContainer;
  /** Link targets of the process's open fds at the time it was read. */
  fds: string[];
  listen?: { port: number; address: string };
  /** Executable paths of the container's image, when its SBOM is stored. */
  imageFiles?: ReadonlySet<string>;
  kernel?: KernelDetail;
  /** eBPF exec: the record without its ids and time (ebpf-record.ts `key`). */
  recordKey?: string;
  /** eBPF exec: its key in the kernel's no-match memo and its cgroup, when the kernel may remember it. */
  kernelMemo?: { key: bigint; cgroupId: bigint };
}

/**
 * The document rule conditions see. Field names follow Falco's (`proc.name`, `proc.pname`, `container.id`,
 * `fd.*` folded into `file.paths`) so rules read familiar; every field is always present, so a condition on
 * a host process does not error on `pod.name` but sees ''.
 */
export function ruleInput(e: EventContext): RuleInput {
  const p = e.proc;
  const k = e.kernel ?? {};
  const argPaths = p.args.slice(1).filter((a) => a.startsWith('/'));
  const openPaths = [...e.fds.filter((t) => t.startsWith('/')), ...(k.file ? [k.file.path] : [])];
  const exePath = p.exe;
  const listen =
    e.listen ??
    (e.type === 'listen' && k.local ? { port: k.local.port, address: k.local.address } : undefined);
  return {
    evt: { type: e.type, source: e.source },
    node: e.node,
    proc: {
      pid: p.pid,
      ppid: p.ppid,
      name: p.name,
      exe: p.exe,
      args: p.args,
      cmdline: p.cmdline,
      uid: p.uid,
      cwd: p.cwd,
      stdio: p.stdio,
      tty: p.stdio[0] === 'tty',
      is_container_init: p.isNamespaceInit,
      pname: e.parent?.name ?? '',
      pexe: e.parent?.exe ?? '',
      pcmdline: e.parent?.cmdline ?? '',
      // Unknown parent counts as inside: an alert needs evidence, not a missing read.
      parent_in_container:
        e.parentContainerId === undefined || e.parentContainerId === (e.container?.id ?? ''),
      ancestors: k.ancestors ?? [],
      exe_deleted: k.exeDeleted ?? false,
      exe_memfd: k.exeMemfd ?? p.exe.startsWith('/memfd:'),
      filename: k.filename ?? '',
    },
    file: {
      paths: [...new Set([...openPaths, ...argPaths])],
      open: openPaths,
      args: argPaths,
      path: k.file?.path ?? '',
      flags: k.file?.flags ?? 0,
      write: k.file?.write ?? false,
    },
    net: {
      listen_port: listen?.port ?? 0,
      listen_address: listen?.address ?? '',
      remote_address: k.remote?.address ?? '',
      remote_port: k.remote?.port ?? 0,
      local_address: k.local?.address ?? '',
      local_port: k.local?.port ?? 0,
      family: k.remote?.family ?? k.local?.family ?? '',
      connect_result: k.connectResult ?? 0,
      first_outbound: k.firstOutbound ?? false,
    },
    fd: { old: k.dup?.oldfd ?? -1, new: k.dup?.newfd ?? -1 },
    memfd: { name: k.memfd?.name ?? '', flags: k.memfd?.flags ?? 0 },
    ptrace: { request: k.ptrace?.request ?? -1, target_pid: k.ptrace?.targetPid ?? 0 },
    setid: { ids: k.setid?.ids ?? [], uid: k.setid?.uid ?? -1, gid: k.setid?.gid ?? -1 },
    mount: {
      source: k.mount?.source ?? '',
      target: k.mount?.target ?? '',
      fstype: k.mount?.fstype ?? '',
      flags: k.mount?.flags ?? 0,
    },
    ns: { flags: k.ns?.flags ?? 0, type: k.ns?.type ?? 0, path: k.ns?.path ?? '' },
    module: { path: k.module?.path ?? '' },
    bpf: { cmd: k.bpf?.cmd ?? -1 },
    container: {
      id: e.container?.id ?? '',
      runtime: e.container?.runtime ?? '',
      name: e.pod?.container ?? '',
      image: e.pod?.image ?? '',
      image_id: e.pod?.imageId ?? '',
    },
    pod: {
      name: e.pod?.pod ?? '',
      namespace: e.pod?.namespace ?? '',
      uid: e.pod?.podUid ?? e.container?.podUid ?? '',
      run_as_non_root: e.pod?.runAsNonRoot ?? false,
      service_account: e.pod?.serviceAccount ?? '',
      ports: e.pod?.ports ?? [],
    },
    image: {
      sbom_known: e.imageFiles !== undefined,
      exe_in_sbom: e.imageFiles ? e.imageFiles.has(exePath) : true,
    },
  };
}
