import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { posix } from 'node:path';

/** What a CIS file check needs to know of a file on the host. */
export interface FileFacts {
  /** The path as the host sees it, e.g. `/etc/kubernetes/kubelet.conf`. */
  path: string;
  /** Permission bits only (e.g. 0o600). */
  mode: number;
  uid: number;
  gid: number;
  /** Names from the host's own /etc/passwd and /etc/group, or the number when unknown. */
  owner: string;
  group: string;
}

const MAX_SYMLINK_HOPS = 40;
const DEFAULT_MAX_READ = 1024 * 1024;

/**
 * A host's filesystem mounted read-only at `root` (the agent's `/host`). Paths are host paths;
 * symlinks are resolved as the host would (absolute targets inside the root), and nothing resolves
 * outside the root — `..` stops at it, like in a chroot.
 */
export class HostRoot {
  private names?: Promise<{ users: Map<number, string>; groups: Map<number, string> }>;

  constructor(readonly root: string) {}

  /** The real path of a host path, with every symlink resolved inside the root, or undefined if absent. */
  async resolve(hostPath: string): Promise<string | undefined> {
    let resolved: string[] = [];
    let pending = splitPath(hostPath);
    let hops = 0;
    while (pending.length > 0) {
      const part = pending.shift()!;
      if (part === '..') {
        resolved.pop();
        continue;
      }
      const candidate = [...resolved, part];
      const real = this.onDisk(candidate);
      let info: Awaited<ReturnType<typeof lstat>>;
      try {
        info = await lstat(real);
      } catch {
        return undefined;
      }
      if (!info.isSymbolicLink()) {
        resolved = candidate;
        continue;
      }
      if (++hops > MAX_SYMLINK_HOPS) return undefined;
      const target = await readlink(real);
      if (target.startsWith('/')) resolved = [];
      pending = splitPath(target).concat(pending);
    }
    return this.onDisk(resolved);
  }

  async stat(hostPath: string): Promise<FileFacts | undefined> {
    const real = await this.resolve(hostPath);
    if (!real) return undefined;
    const info = await lstat(real);
    const { users, groups } = await this.accountNames();
    return {
      path: hostPath,
      mode: info.mode & 0o7777,
      uid: info.uid,
      gid: info.gid,
      owner: users.get(info.uid) ?? String(info.uid),
      group: groups.get(info.gid) ?? String(info.gid),
    };
  }

  /** A text file's content, or undefined when absent; larger files are cut at `maxBytes`. */
  async readText(hostPath: string, maxBytes = DEFAULT_MAX_READ): Promise<string | undefined> {
    const real = await this.resolve(hostPath);
    if (!real) return undefined;
    try {
      const info = await lstat(real);
      if (!info.isFile()) return undefined;
      const content = await readFile(real);
      return content.subarray(0, maxBytes).toString('utf8');
    } catch {
      return undefined;
    }
  }

  /** Names in a host directory, sorted; empty when it is absent. */
  async list(hostDir: string): Promise<string[]> {
    const real = await this.resolve(hostDir);
    if (!real) return [];
    try {
      return (await readdir(real)).sort();
    } catch {
      return [];
    }
  }

  private onDisk(parts: readonly string[]): string {
    return posix.join(this.root, ...parts);
  }

  private accountNames() {
    this.names ??= (async () => ({
      users: parseIdFile(await this.readText('/etc/passwd')),
      groups: parseIdFile(await this.readText('/etc/group')),
    }))();
    return this.names;
  }
}

function splitPath(path: string): string[] {
  return path.split('/').filter((p) => p !== '' && p !== '.');
}

/** `/etc/passwd` and `/etc/group` share the layout `name:x:id:…`. */
function parseIdFile(text: string | undefined): Map<number, string> {
  const ids = new Map<number, string>();
  for (const line of (text ?? '').split('\n')) {
    const [name, , id] = line.split(':');
    const n = Number(id);
    if (name && Number.isInteger(n) && !ids.has(n)) ids.set(n, name);
  }
  return ids;
}
