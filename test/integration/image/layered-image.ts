import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { requireTool } from '../../harness/registry/required-tool.js';

export interface LayeredImage {
  dir: string;
  layout: string;
  tag: string;
  ociArchive: string;
  dockerArchive: string;
  /** Every non-directory path of the final root filesystem, as umoci unpacks it: the ground truth. */
  finalFiles: string[];
  /** The paths the second layer deletes. */
  deleted: string[];
  remove(): void;
}

function write(root: string, path: string, content: string | Buffer): void {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), content);
}

/** Non-directory paths under `root`, relative, sorted (symlinks listed, not followed). */
function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push(relative(root, full));
    }
  };
  walk(root);
  return out.sort();
}

/**
 * A real two-layer OCI image built with umoci: layer 1 holds this machine's /var/lib/dpkg/status,
 * an os-release, a symlink and some files; layer 2 deletes a file and a directory (whiteouts) and
 * adds one. Also written as an OCI archive (`tar` of the layout) and a docker-archive (skopeo).
 */
export function buildLayeredImage(): LayeredImage {
  for (const [tool, pkg] of [
    ['umoci', 'umoci'],
    ['skopeo', 'skopeo'],
    ['tar', 'tar'],
  ] as const)
    requireTool(tool, pkg);
  const dir = mkdtempSync(join(tmpdir(), 'seco-layered-'));
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const rootfs = join(bundle, 'rootfs');
  const tag = 'v1';
  const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: 'pipe' });
  run('umoci', ['init', '--layout', layout]);
  run('umoci', ['new', '--image', `${layout}:${tag}`]);
  run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle]);
  mkdirSync(join(rootfs, 'var/lib/dpkg'), { recursive: true });
  copyFileSync('/var/lib/dpkg/status', join(rootfs, 'var/lib/dpkg/status'));
  write(rootfs, 'etc/os-release', 'ID=debian\nVERSION_ID="12"\n');
  write(rootfs, 'etc/app/secret.conf', 'password=will-be-deleted\n');
  write(rootfs, 'etc/app/keep.conf', 'keep=1\n');
  write(rootfs, 'opt/plugin/lib/a.so', Buffer.alloc(2048, 1));
  write(rootfs, 'opt/plugin/README', 'plugin\n');
  write(rootfs, 'usr/bin/tool', '#!/bin/sh\necho tool\n');
  execFileSync('ln', ['-s', 'tool', join(rootfs, 'usr/bin/tool-link')]);
  // --refresh-bundle: the next repack diffs against this layer (whiteouts), not against the empty
  // image it was unpacked from — without it the image would have one layer holding the final tree.
  run('umoci', ['repack', '--refresh-bundle', '--image', `${layout}:${tag}`, bundle]);
  rmSync(join(rootfs, 'etc/app/secret.conf'));
  rmSync(join(rootfs, 'opt/plugin'), { recursive: true });
  write(rootfs, 'etc/app/added.conf', 'added=2\n');
  run('umoci', ['repack', '--image', `${layout}:${tag}`, bundle]);
  const ociArchive = join(dir, 'image.oci.tar');
  run('tar', ['-cf', ociArchive, '-C', layout, '.']);
  const dockerArchive = join(dir, 'image.docker.tar');
  run('skopeo', [
    'copy',
    '--quiet',
    `oci:${layout}:${tag}`,
    `docker-archive:${dockerArchive}:seco/layered:${tag}`,
  ]);
  return {
    dir,
    layout,
    tag,
    ociArchive,
    dockerArchive,
    finalFiles: listFiles(rootfs),
    deleted: ['etc/app/secret.conf', 'opt/plugin/README', 'opt/plugin/lib/a.so'],
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
