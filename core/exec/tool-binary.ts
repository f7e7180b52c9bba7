import { createHash } from 'node:crypto';
import { constants, type Stats } from 'node:fs';
import { lstat, open, realpath } from 'node:fs/promises';
import { dirname } from 'node:path';

/** A tool the executor may run: its name and where it is, optionally pinned by content. */
export interface AllowedTool {
  /** The name adapters and the audit log use (`nmap`, `clamscan`). */
  name: string;
  /** Absolute path of the executable, as installed (Debian's `/usr/bin/nmap`). */
  path: string;
  /** Lowercase hex sha256 the file must have; when set a changed binary is refused. */
  sha256?: string;
}

export interface CheckedBinary {
  path: string;
  sha256: string;
  size: number;
}

export class BinaryRefused extends Error {
  constructor(
    readonly tool: string,
    readonly path: string,
    reason: string,
  ) {
    super(`${tool}: ${path} refused: ${reason}`);
    this.name = 'BinaryRefused';
  }
}

// Who may write a file or directory: owner root, and neither group nor others (sudo's secure_path rule).
function unsafeMode(stats: Stats): string | undefined {
  if (stats.uid !== 0) return `owned by uid ${stats.uid}, not root`;
  if ((stats.mode & 0o022) !== 0)
    return `writable by ${stats.mode & 0o020 ? 'group' : 'others'} (mode ${(stats.mode & 0o7777).toString(8)})`;
  return undefined;
}

/**
 * Checks, right before a run, that `tool.path` is what was allowlisted: an absolute path with no
 * symlink anywhere (realpath must equal it, so a link swapped in for the file or a directory is seen),
 * a regular executable file owned by root and writable by nobody else, every directory above it
 * root-owned and not group/other-writable (so nobody but root can swap it between this check and the
 * exec), and, when pinned, the sha256 of the bytes read through the same open file — whose device and
 * inode must match the path's, so a rename between lstat and open is caught too.
 */
export async function checkBinary(tool: AllowedTool): Promise<CheckedBinary> {
  const refuse = (reason: string) => new BinaryRefused(tool.name, tool.path, reason);
  if (!tool.path.startsWith('/')) throw refuse('not an absolute path');
  const real = await realpath(tool.path).catch((error: NodeJS.ErrnoException) => {
    throw refuse(error.code === 'ENOENT' ? 'not installed' : error.message);
  });
  if (real !== tool.path) throw refuse(`resolves through a symlink to ${real}`);
  const linkStats = await lstat(tool.path);
  if (linkStats.isSymbolicLink()) throw refuse('is a symlink');
  if (!linkStats.isFile()) throw refuse('not a regular file');
  if ((linkStats.mode & 0o111) === 0) throw refuse('not executable');
  const fileProblem = unsafeMode(linkStats);
  if (fileProblem) throw refuse(fileProblem);
  for (let dir = dirname(tool.path); ; dir = dirname(dir)) {
    const dirProblem = unsafeMode(await lstat(dir));
    if (dirProblem) throw refuse(`directory ${dir} ${dirProblem}`);
    if (dir === '/') break;
  }
  const handle = await open(tool.path, constants.O_RDONLY | constants.O_NOFOLLOW).catch(
    (error: NodeJS.ErrnoException) => {
      throw refuse(error.code === 'ELOOP' ? 'is a symlink' : error.message);
    },
  );
  try {
    const fdStats = await handle.stat();
    if (fdStats.ino !== linkStats.ino || fdStats.dev !== linkStats.dev)
      throw refuse('the file changed while it was checked');
    const hash = createHash('sha256');
    for await (const chunk of handle.createReadStream({ autoClose: false })) hash.update(chunk as Buffer);
    const sha256 = hash.digest('hex');
    if (tool.sha256 && tool.sha256.toLowerCase() !== sha256)
      throw refuse(`sha256 ${sha256} is not the pinned ${tool.sha256}`);
    return { path: tool.path, sha256, size: fdStats.size };
  } finally {
    await handle.close();
  }
}
