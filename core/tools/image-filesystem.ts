import { constants } from 'node:fs';
import { mkdir, open } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { LayerAnalyzer } from '../image/layers/entry.js';
import { DEFAULT_LAYER_LIMITS } from '../image/layers/limits.js';
import { walkImage } from '../image/layers/walk-image.js';
import type { ResolvedImage } from '../image/source/image-source.js';

export interface ImageFilesOptions {
  /** A private, empty directory: the image's regular files are written below it. */
  root: string;
  /** Files larger than this are not written (and said so); default 64 MiB. */
  maxFileBytes?: number;
  /** All files together; default 2 GiB. */
  maxTotalBytes?: number;
}

export interface ImageFilesResult {
  written: number;
  bytes: number;
  problems: Array<{ source: string; message: string }>;
}

/**
 * Writes the regular files of an image's final filesystem under `root` as the layers stream by (the
 * walker reads top-down and offers only files no upper layer deleted or replaced), for the file
 * scanners (ClamAV, YARA). Only regular files and directories are made — never a symlink, device or
 * hard link — with mode 0600/0700, so nothing written is executable or set-uid and no path leaves
 * `root` (entry paths are already normalised by the walker and `O_NOFOLLOW|O_EXCL` refuses anything
 * that is there already).
 */
export async function writeImageFiles(
  image: ResolvedImage,
  options: ImageFilesOptions,
): Promise<ImageFilesResult> {
  const maxFile = options.maxFileBytes ?? 64 * 2 ** 20;
  const maxTotal = options.maxTotalBytes ?? 2 * 2 ** 30;
  const result: ImageFilesResult = { written: 0, bytes: 0, problems: [] };
  const writer: LayerAnalyzer<void> = {
    name: 'image-files',
    wants: (_path, header) => header.type === 'file' || header.type === 'link',
    async analyze(file) {
      if (file.header.size > maxFile) {
        result.problems.push({
          source: file.path,
          message: `not scanned by file scanners: ${file.header.size} bytes, over ${maxFile}`,
        });
        return;
      }
      if (result.bytes + file.header.size > maxTotal) {
        result.problems.push({
          source: file.path,
          message: `not scanned by file scanners: the image is over ${maxTotal} bytes of files`,
        });
        return;
      }
      const content = await file.read(maxFile);
      const target = join(options.root, file.path);
      await mkdir(dirname(target), { recursive: true, mode: 0o700 });
      const handle = await open(
        target,
        constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
        0o600,
      );
      try {
        await handle.writeFile(content);
      } finally {
        await handle.close();
      }
      result.written++;
      result.bytes += content.length;
    },
  };
  // One layer at a time: the writer must see only the final filesystem's files (a file an upper layer
  // replaces or deletes is never written), which the parallel walk sorts out only after analyzers ran.
  const walk = await walkImage(image.layers, [writer], {
    ...DEFAULT_LAYER_LIMITS,
    maxFileBytes: maxFile,
    layerConcurrency: 1,
  });
  result.problems.push(...walk.problems);
  return result;
}

/** A path under the written root, as it is in the image (`/usr/bin/x`). */
export function imagePathOf(root: string, path: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? `/${path.slice(prefix.length)}` : path;
}
