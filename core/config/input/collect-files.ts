import type { Dirent, Stats } from 'node:fs';
import { readdir, realpath, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';
import { systemErrorMessage } from '../../errors/system-error-message.js';
import type { InputProblem } from '../../model/index.js';

const MANIFEST_EXTENSIONS = new Set(['.yaml', '.yml', '.json']);

/** What the walk may take: the same limit as `ReadLimits.maxFiles`. */
export interface CollectLimits {
  maxFiles: number;
}

/** A file to read: the path as the user would write it, and its real path (the key that makes it read once). */
export interface CollectedFile {
  path: string;
  real: string;
}

/**
 * Finds the manifest files under the paths named on the command line. Symlinks inside a directory are
 * followed — a ConfigMap volume is a tree of them (`app.yaml` → `..data/app.yaml`, `..data` → a
 * timestamped directory) — but only while they stay inside the roots named, and never round a loop:
 * both are reported, not followed. Each real file is taken once, however many links reach it.
 * FIFOs, sockets and devices are refused: opening a FIFO for reading blocks until a writer comes.
 */
export async function collectFiles(
  paths: readonly string[],
  limits: CollectLimits,
  problems: InputProblem[],
): Promise<CollectedFile[]> {
  const walk = new Walk(limits, problems);
  const named: Array<{ path: string; real: string; info: Stats }> = [];
  for (const path of paths) {
    try {
      // A path the user named is followed even when it is a symlink: its target is what they meant.
      named.push({ path, real: await realpath(path), info: await stat(path) });
    } catch (error) {
      problems.push({ source: path, message: `cannot read: ${systemErrorMessage(error)}` });
    }
  }
  walk.roots = named.map((n) => n.real);
  for (const { path, real, info } of named) {
    if (info.isDirectory()) await walk.directory(path, real, new Set());
    else if (info.isFile()) walk.take(path, real);
    else problems.push(refusal(path, info));
  }
  return walk.files;
}

class Walk {
  roots: string[] = [];
  readonly files: CollectedFile[] = [];
  private readonly seenFiles = new Set<string>();
  private readonly seenDirs = new Set<string>();
  private full = false;

  constructor(
    private readonly limits: CollectLimits,
    private readonly problems: InputProblem[],
  ) {}

  /** `ancestors`: real paths of the directories above this one on the way down — a link back to one is a loop. */
  async directory(path: string, real: string, ancestors: ReadonlySet<string>): Promise<void> {
    if (this.seenDirs.has(real)) return;
    this.seenDirs.add(real);
    let entries: Dirent[];
    try {
      entries = await readdir(path, { withFileTypes: true });
    } catch (error) {
      this.problems.push({ source: path, message: `cannot read: ${systemErrorMessage(error)}` });
      return;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const below = new Set(ancestors).add(real);
    for (const entry of entries) {
      // Dot entries are skipped: a ConfigMap volume's `..data` and `..<timestamp>` hold the same files
      // its top-level links name, so they would be read twice.
      if (entry.name.startsWith('.')) continue;
      const child = join(path, entry.name);
      if (entry.isSymbolicLink()) await this.link(child, below);
      else if (entry.isDirectory()) await this.directory(child, join(real, entry.name), below);
      else if (isManifestName(entry.name)) {
        if (entry.isFile()) this.take(child, join(real, entry.name));
        else this.problems.push(refusal(child, undefined, entry));
      }
    }
  }

  private async link(path: string, ancestors: ReadonlySet<string>): Promise<void> {
    let real: string;
    let info: Stats;
    try {
      real = await realpath(path);
      info = await stat(real);
    } catch (error) {
      const code = codeOf(error);
      if (code === 'ELOOP') this.problems.push({ source: path, message: 'symlink loop: not followed' });
      else if (isManifestName(path))
        this.problems.push({ source: path, message: `cannot read: symlink target missing (${code})` });
      return;
    }
    if (!info.isDirectory() && !isManifestName(path)) return;
    if (
      !this.roots.some((root) => real === root || real.startsWith(root.endsWith(sep) ? root : root + sep))
    ) {
      this.problems.push({
        source: path,
        message: `symlink leads outside the paths given (to ${real}): not followed`,
      });
      return;
    }
    if (info.isDirectory()) {
      if (ancestors.has(real))
        this.problems.push({ source: path, message: `symlink loop: leads back to ${real}, not followed` });
      else await this.directory(path, real, ancestors);
    } else if (info.isFile()) this.take(path, real);
    else this.problems.push(refusal(path, info));
  }

  take(path: string, real: string): void {
    if (this.seenFiles.has(real) || this.full) return;
    if (this.files.length >= this.limits.maxFiles) {
      this.problems.push({
        source: path,
        message: `more than ${this.limits.maxFiles} files: the rest are not read`,
      });
      this.full = true;
      return;
    }
    this.seenFiles.add(real);
    this.files.push({ path, real });
  }
}

function isManifestName(path: string): boolean {
  return MANIFEST_EXTENSIONS.has(extname(path).toLowerCase());
}

/** The problem for a path that is not a regular file: names what it is, so the user knows why. */
export function refusal(path: string, info?: Stats, entry?: Dirent): InputProblem {
  const is = info ?? entry;
  const what = is?.isFIFO()
    ? 'a FIFO (named pipe)'
    : is?.isSocket()
      ? 'a socket'
      : is?.isCharacterDevice()
        ? 'a character device'
        : is?.isBlockDevice()
          ? 'a block device'
          : 'neither a file nor a directory';
  return { source: path, message: `refused: ${what}; give a manifest file or a directory` };
}

function codeOf(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? String(error);
}
