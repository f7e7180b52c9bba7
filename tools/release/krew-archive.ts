import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import tar from 'tar-stream';

export interface ArchiveResult {
  path: string;
  sha256: string;
  /** every file in the archive, relative, with / separators */
  entries: string[];
}

export function archiveName(version: string, os: string, arch: string): string {
  return `kubectl-seco_${version}_${os}_${arch}.tar.gz`;
}

async function listFiles(root: string, dir = root): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) for (const file of await listFiles(root, full)) out.push(file);
    else if (entry.isFile()) out.push(relative(root, full).split(sep).join('/'));
    else throw new Error(`${full}: only regular files and directories go into the archive`);
  }
  return out;
}

/**
 * Packs `stageDir`'s content (at the archive root, no leading directory) into a gzipped tar.
 * Reproducible: sorted entries, fixed owner and mtime (SOURCE_DATE_EPOCH, or 0), modes 0755/0644.
 */
export async function createKrewArchive(stageDir: string, outFile: string): Promise<ArchiveResult> {
  const entries = await listFiles(stageDir);
  const mtime = new Date(Number(process.env.SOURCE_DATE_EPOCH ?? 0) * 1000);
  const pack = tar.pack();
  const done = pipeline(pack, createGzip({ level: 9 }), createWriteStream(outFile));
  for (const name of entries) {
    const full = join(stageDir, ...name.split('/'));
    const executable = ((await stat(full)).mode & 0o111) !== 0;
    const content = await readFile(full);
    await new Promise<void>((resolve, reject) =>
      pack.entry(
        {
          name,
          size: content.length,
          mode: executable ? 0o755 : 0o644,
          mtime,
          uid: 0,
          gid: 0,
          uname: '',
          gname: '',
        },
        content,
        (err) => (err ? reject(err) : resolve()),
      ),
    );
  }
  pack.finalize();
  await done;
  return { path: outFile, sha256: await sha256File(outFile), entries };
}

async function sha256File(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex');
}
