import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTool } from '../registry/required-tool.js';

export interface TinyImage {
  /** The OCI layout directory; the image is tagged `tag` in it. */
  layout: string;
  tag: string;
  remove(): void;
}

/**
 * A one-file image built with umoci: `/content` holds the given text, so different texts give
 * different digests — enough to stand in for an image whose tag moved to a new build.
 */
export function buildTinyImage(content: string, tag = 'tiny'): TinyImage {
  requireTool('umoci', 'umoci');
  const dir = mkdtempSync(join(tmpdir(), 'seco-tiny-image-'));
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const run = (args: string[]) => execFileSync('umoci', args, { stdio: 'pipe' });
  run(['init', '--layout', layout]);
  run(['new', '--image', `${layout}:${tag}`]);
  run(['unpack', '--rootless', '--image', `${layout}:${tag}`, bundle]);
  mkdirSync(join(bundle, 'rootfs'), { recursive: true });
  writeFileSync(join(bundle, 'rootfs', 'content'), content);
  run(['repack', '--image', `${layout}:${tag}`, bundle]);
  return { layout, tag, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
