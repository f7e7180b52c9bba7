import { open, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawProc } from './process-info.js';

const MAX_FILE = 32768;
const MAX_FDS = 1024;

/** Reads up to MAX_FILE bytes of a /proc file; undefined when it cannot be read (gone, denied). */
async function readSmall(path: string): Promise<{ data: Uint8Array; cut: boolean } | undefined> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (!handle) return undefined;
  try {
    const buf = Buffer.alloc(MAX_FILE + 1);
    let total = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, total, buf.length - total, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total === buf.length) break;
    }
    return { data: buf.subarray(0, Math.min(total, MAX_FILE)), cut: total > MAX_FILE };
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

const link = (path: string) => readlink(path).catch(() => undefined);

/** The same raw fields the native connector reads at exec time, read with fs calls (poller, snapshots, parents). */
export async function readRawProc(procRoot: string, pid: number): Promise<RawProc> {
  const dir = join(procRoot, String(pid));
  const [exe, cwd, fd0, fd1, fd2, cmdline, status, cgroup] = await Promise.all([
    link(join(dir, 'exe')),
    link(join(dir, 'cwd')),
    link(join(dir, 'fd/0')),
    link(join(dir, 'fd/1')),
    link(join(dir, 'fd/2')),
    readSmall(join(dir, 'cmdline')),
    readSmall(join(dir, 'status')),
    readSmall(join(dir, 'cgroup')),
  ]);
  return {
    exe,
    cwd,
    fd0,
    fd1,
    fd2,
    cmdline: cmdline?.data,
    cmdlineCut: cmdline?.cut,
    status: status?.data,
    cgroup: cgroup?.data,
  };
}

/** /proc/<pid>/cgroup as text ('' when it cannot be read): all container attribution needs. */
export async function readCgroup(procRoot: string, pid: number): Promise<string> {
  const cgroup = await readSmall(join(procRoot, String(pid), 'cgroup'));
  return cgroup ? Buffer.from(cgroup.data).toString('utf8') : '';
}

/** Link targets of a process's open fds (files as paths, sockets as `socket:[inode]`), at most MAX_FDS. */
export async function readFdTargets(procRoot: string, pid: number): Promise<string[]> {
  const dir = join(procRoot, String(pid), 'fd');
  const names = await readdir(dir).catch(() => [] as string[]);
  const targets = await Promise.all(names.slice(0, MAX_FDS).map((n) => link(join(dir, n))));
  return targets.filter((t): t is string => t !== undefined);
}

/** Numeric entries of /proc: the pids alive now. */
export async function listPids(procRoot: string): Promise<number[]> {
  const names = await readdir(procRoot);
  const pids: number[] = [];
  for (const n of names) if (/^\d{1,10}$/.test(n)) pids.push(Number(n));
  return pids;
}
