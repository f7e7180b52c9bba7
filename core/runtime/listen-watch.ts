import { readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type ListeningSocket, parseListening } from './proc-net.js';
import { listPids, readFdTargets } from './proc-reader.js';

/** Live pids per container id ('' is the host), as the watcher learns them from exec events. */
export type PidsByContainer = Map<string, Set<number>>;

export interface NewListener {
  containerId: string;
  pid: number;
  socket: ListeningSocket;
}

/**
 * New TCP listening sockets, per network namespace: reads one member's /proc/<pid>/net/tcp{,6} per
 * namespace each round (cheap), and only when an inode is new looks for its owner among the namespace's
 * known pids (fd scan, rare). Namespaces present at start are a baseline: only later listens are "new".
 */
export class ListenWatch {
  private readonly seen = new Map<string, Set<string>>();
  private baselineDone = false;

  constructor(
    private readonly procRoot: string,
    private readonly pids: PidsByContainer,
  ) {}

  async poll(): Promise<NewListener[]> {
    const found: NewListener[] = [];
    const byNs = await this.namespaces();
    for (const [ns, members] of byNs) {
      const first = members[0]!;
      const sockets = await this.listening(first.pid);
      if (!sockets) continue;
      const known = this.seen.get(ns);
      const current = new Set(sockets.map((s) => s.inode));
      this.seen.set(ns, current);
      // A namespace first seen at start is a baseline; one first seen later is a new container: report all.
      if (!known && !this.baselineDone) continue;
      for (const socket of sockets) {
        if (known?.has(socket.inode)) continue;
        const owner =
          (await this.owner(socket.inode, members)) ?? (await this.ownerInNamespace(socket.inode, ns));
        if (owner) found.push({ ...owner, socket });
      }
    }
    this.baselineDone = true;
    return found;
  }

  private async namespaces(): Promise<Map<string, Array<{ containerId: string; pid: number }>>> {
    const byNs = new Map<string, Array<{ containerId: string; pid: number }>>();
    for (const [containerId, set] of this.pids) {
      for (const pid of set) {
        const ns = await readlink(join(this.procRoot, String(pid), 'ns/net')).catch(() => undefined);
        if (!ns) {
          set.delete(pid); // gone: the exit event may have been lost
          continue;
        }
        const list = byNs.get(ns) ?? [];
        list.push({ containerId, pid });
        byNs.set(ns, list);
      }
    }
    return byNs;
  }

  private async listening(pid: number): Promise<ListeningSocket[] | undefined> {
    const dir = join(this.procRoot, String(pid), 'net');
    const [v4, v6] = await Promise.all([
      readFile(join(dir, 'tcp'), 'latin1').catch(() => undefined),
      readFile(join(dir, 'tcp6'), 'latin1').catch(() => ''),
    ]);
    if (v4 === undefined) return undefined;
    return [...parseListening(v4, false), ...parseListening(v6, true)];
  }

  /**
   * The owner among every process of the namespace: the connector reads a new process's cgroup from /proc
   * after its exec, and a `runc exec`'d process read before it joined the container's cgroup is not tracked
   * as the container's — its listen would be missed. Rare (a new listening socket with no known owner), so a
   * scan of /proc is affordable. The container comes from the owner's own cgroup (RuntimeWatcher.onListen).
   */
  private async ownerInNamespace(
    inode: string,
    ns: string,
  ): Promise<{ containerId: string; pid: number } | undefined> {
    const target = `socket:[${inode}]`;
    for (const pid of await listPids(this.procRoot).catch(() => [])) {
      const pidNs = await readlink(join(this.procRoot, String(pid), 'ns/net')).catch(() => undefined);
      if (pidNs === ns && (await readFdTargets(this.procRoot, pid)).includes(target))
        return { containerId: '', pid };
    }
    return undefined;
  }

  private async owner(
    inode: string,
    members: Array<{ containerId: string; pid: number }>,
  ): Promise<{ containerId: string; pid: number } | undefined> {
    const target = `socket:[${inode}]`;
    for (const m of members) if ((await readFdTargets(this.procRoot, m.pid)).includes(target)) return m;
    return undefined;
  }
}
