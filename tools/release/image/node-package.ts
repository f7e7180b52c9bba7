import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheEntry } from './cache-entry.js';
import type { ImagePlatform } from './platforms.js';

const run = promisify(execFile);

/** The Node.js the image runs: an LTS line (Node 26, LTS since October 2026), pinned. */
export const NODE_VERSION = '26.12.1';

/**
 * The npm registry's `dist.integrity` of each package, pinned: `npm pack` already refuses a tarball that
 * does not match the registry's integrity; this pin also refuses a registry that changed its answer.
 */
const INTEGRITY: Record<ImagePlatform['nodeArch'], string> = {
  x64: 'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==',
  arm64: 'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==',
};

export interface NodePackage {
  version: string;
  /** the extracted `node` executable */
  binary: string;
  license: string;
  /** for node-gyp's --nodedir: holds include/node */
  nodedir: string;
}

async function sri(path: string): Promise<string> {
  const hash = createHash('sha512');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return `sha512-${hash.digest('base64')}`;
}

/** `node-linux-<arch>@NODE_VERSION` from the npm registry (cached), verified and extracted. */
export async function nodePackage(cacheDir: string, platform: ImagePlatform): Promise<NodePackage> {
  const name = `node-linux-${platform.nodeArch}`;
  const dir = join(cacheDir, 'node');
  await mkdir(dir, { recursive: true });
  const tgz = join(dir, `${name}-${NODE_VERSION}.tgz`);
  await cacheEntry(tgz, async (temp) => {
    await mkdir(temp);
    await run('npm', ['pack', `${name}@${NODE_VERSION}`, '--pack-destination', temp, '--silent'], {
      maxBuffer: 64 * 2 ** 20,
    });
    const [packed] = await readdir(temp);
    if (!packed) throw new Error(`npm pack ${name}@${NODE_VERSION} wrote nothing`);
    await rename(join(temp, packed), `${temp}.tgz`);
    await rm(temp, { recursive: true });
    await rename(`${temp}.tgz`, temp);
  });
  const integrity = await sri(tgz);
  if (integrity !== INTEGRITY[platform.nodeArch])
    throw new Error(
      `${tgz}: integrity ${integrity}, expected ${INTEGRITY[platform.nodeArch]} (delete it to fetch it again)`,
    );
  const out = await cacheEntry(join(dir, `${name}-${NODE_VERSION}`), async (temp) => {
    await mkdir(temp);
    await run('tar', ['-xzf', tgz, '-C', temp, 'package/bin/node', 'package/LICENSE', 'package/include']);
  });
  return {
    version: NODE_VERSION,
    binary: join(out, 'package/bin/node'),
    license: join(out, 'package/LICENSE'),
    nodedir: join(out, 'package'),
  };
}
