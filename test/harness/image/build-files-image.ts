import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { requireTool } from '../registry/required-tool.js';

export interface FilesImage {
  /** `oci-layout:DIR:TAG`, what resolveImage takes. */
  reference: string;
  remove(): void;
}

/**
 * An image built with umoci, one layer per entry of `layers`: each maps an image path to its content,
 * or to null to delete it in that layer (a whiteout), so tests see what the final filesystem holds.
 */
export function buildFilesImage(
  layers: ReadonlyArray<Readonly<Record<string, string | Buffer | null>>>,
  tag = 'files',
): FilesImage {
  requireTool('umoci', 'umoci');
  const dir = mkdtempSync(join(tmpdir(), 'seco-files-image-'));
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const run = (args: string[]) => execFileSync('umoci', args, { stdio: 'pipe' });
  run(['init', '--layout', layout]);
  run(['new', '--image', `${layout}:${tag}`]);
  for (const files of layers) {
    rmSync(bundle, { recursive: true, force: true });
    run(['unpack', '--rootless', '--image', `${layout}:${tag}`, bundle]);
    for (const [path, content] of Object.entries(files)) {
      const target = join(bundle, 'rootfs', path);
      if (content === null) rmSync(target, { force: true });
      else {
        mkdirSync(dirname(target), { recursive: true });
        writeFileSync(target, content);
      }
    }
    run(['repack', '--image', `${layout}:${tag}`, bundle]);
  }
  return {
    reference: `oci-layout:${layout}:${tag}`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
