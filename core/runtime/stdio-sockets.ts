import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RawProc } from './process-info.js';

const INODE = /^socket:\[(\d+)\]$/;

/**
 * Tells network sockets from local ones on fds 0–2. Node, Python and most runtimes give children Unix
 * socketpairs as stdio, so "a shell on sockets" is only a reverse shell when they are TCP/UDP sockets:
 * `socket` when the inode is in the process's /proc/<pid>/net/{tcp,tcp6,udp,udp6}, `unix-socket` when the
 * tables were read and it is not there, `socket-unverified` when the process was gone before they could be read.
 */
export async function classifyStdioSockets(
  procRoot: string,
  pid: number,
  raw: RawProc,
  stdio: string[],
): Promise<string[]> {
  const links = [raw.fd0, raw.fd1, raw.fd2];
  if (!stdio.includes('socket')) return stdio;
  const dir = join(procRoot, String(pid), 'net');
  const tables = await Promise.all(
    ['tcp', 'tcp6', 'udp', 'udp6'].map((t) => readFile(join(dir, t), 'latin1').catch(() => undefined)),
  );
  if (tables.every((t) => t === undefined))
    return stdio.map((k) => (k === 'socket' ? 'socket-unverified' : k));
  const inet = new Set<string>();
  for (const table of tables)
    for (const line of (table ?? '').split('\n').slice(1)) {
      const inode = line.trim().split(/\s+/)[9];
      if (inode) inet.add(inode);
    }
  return stdio.map((kind, i) => {
    if (kind !== 'socket') return kind;
    const inode = INODE.exec(links[i] ?? '')?.[1];
    return inode && inet.has(inode) ? 'socket' : 'unix-socket';
  });
}
