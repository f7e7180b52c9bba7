/**
 * What the watcher knows of one process. Built from raw /proc reads (by the native connector at exec
 * time, or by the poller); every field may be missing because the process can be gone before it is read.
 */
export interface RawProc {
  exe?: string;
  cwd?: string;
  fd0?: string;
  fd1?: string;
  fd2?: string;
  cmdline?: Uint8Array;
  cmdlineCut?: boolean;
  status?: Uint8Array;
  cgroup?: Uint8Array;
}

/** Which mechanism noticed the process: said in every event, so a reader knows what could have been missed. */
export type EventSource = 'ebpf' | 'netlink' | 'poll' | 'snapshot';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  /** `Name:` from status (the kernel's 15-character comm), else the exe's base name. */
  name: string;
  exe: string;
  /** Arguments, each secret-masked and capped. */
  args: string[];
  /** Arguments joined with spaces, secret-masked; "[cut]" at the end when the kernel gave more than was read. */
  cmdline: string;
  uid: number;
  cwd: string;
  /** Kinds of fds 0, 1, 2: `tty`, `socket`, `pipe`, `file`, `null` or `unknown`. */
  stdio: string[];
  /** PID 1 of its own PID namespace: a container's entrypoint rather than something run inside it. */
  isNamespaceInit: boolean;
  /** The raw cgroup file text, for container attribution. */
  cgroup: string;
}
