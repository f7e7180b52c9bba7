import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { inventoryImage } from '../../../core/image/scan-image.js';
import { resolveLocalImage } from '../../../core/image/source/resolve-image.js';
import { requireTool } from '../../harness/registry/required-tool.js';

let dir: string;
let layout: string;

function write(rootfs: string, path: string, content: string, mode: number): void {
  mkdirSync(dirname(join(rootfs, path)), { recursive: true });
  writeFileSync(join(rootfs, path), content);
  chmodSync(join(rootfs, path), mode);
}

/**
 * Two layers built with umoci: the first holds executables, a plain file and a symlink; the second
 * deletes an executable (whiteout), deletes a whole directory of them, and drops the execute bits of one.
 */
beforeAll(() => {
  requireTool('umoci', 'umoci');
  dir = mkdtempSync(join(tmpdir(), 'seco-exes-'));
  layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  const rootfs = join(bundle, 'rootfs');
  const run = (args: string[]) => execFileSync('umoci', args, { stdio: 'pipe' });
  run(['init', '--layout', layout]);
  run(['new', '--image', `${layout}:v1`]);
  run(['unpack', '--image', `${layout}:v1`, bundle]);
  write(rootfs, 'usr/bin/app', '#!/bin/sh\n', 0o755);
  write(rootfs, 'usr/bin/owner-only', '#!/bin/sh\n', 0o700);
  write(rootfs, 'usr/bin/dropped', '#!/bin/sh\n', 0o755);
  write(rootfs, 'usr/local/bin/demoted', '#!/bin/sh\n', 0o755);
  write(rootfs, 'opt/tools/run.sh', '#!/bin/sh\n', 0o755);
  write(rootfs, 'etc/app.conf', 'x=1\n', 0o644);
  symlinkSync('app', join(rootfs, 'usr/bin/app-link'));
  run(['repack', '--image', `${layout}:v1`, bundle]);
  rmSync(join(rootfs, 'usr/bin/dropped'));
  rmSync(join(rootfs, 'opt/tools'), { recursive: true });
  chmodSync(join(rootfs, 'usr/local/bin/demoted'), 0o644);
  write(rootfs, 'usr/bin/added', '#!/bin/sh\n', 0o755);
  run(['repack', '--image', `${layout}:v1`, bundle]);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('executables of a real umoci-built image', () => {
  it('lists the final filesystem’s executable regular files, as absolute paths', async () => {
    const inventory = await inventoryImage(await resolveLocalImage(`oci-layout:${layout}:v1`));
    expect(inventory.executables).toEqual({
      paths: ['/usr/bin/added', '/usr/bin/app', '/usr/bin/owner-only'],
      capped: false,
    });
  });

  it('leaves out whiteout-deleted executables, non-executable files, symlinks and files made non-executable', async () => {
    const { executables } = await inventoryImage(await resolveLocalImage(`oci-layout:${layout}:v1`));
    for (const absent of [
      '/usr/bin/dropped',
      '/opt/tools/run.sh',
      '/usr/local/bin/demoted',
      '/etc/app.conf',
      '/usr/bin/app-link',
    ])
      expect(executables.paths).not.toContain(absent);
  });
});
