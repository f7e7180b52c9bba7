import { execFile } from 'node:child_process';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { Bundle } from './bundle.js';
import { BUILDER, type NodeTarget } from './node-binaries.js';

const execFileAsync = promisify(execFile);

export interface SeaOptions {
  target: NodeTarget;
  /** the target's Node executable: the base the blob is injected into */
  targetNode: string;
  /** BUILDER's Node executable: runs `--build-sea` (Node 26 injects into ELF, Mach-O and PE alike) */
  builderNode: string;
  bundle: Bundle;
  /** the executable to write */
  outFile: string;
}

export interface SeaResult {
  path: string;
  /** whether the blob carries a V8 code cache (only when the building Node is the target's own) */
  codeCache: boolean;
}

/**
 * The code cache is V8 bytecode for one V8 build: a cache made by another Node version or for
 * another CPU is rejected at start-up (with a warning), so it is on only when the target's Node is
 * the very one that builds the blob.
 */
export function codeCacheFor(target: NodeTarget): boolean {
  return target.pkg === BUILDER.pkg && target.version === BUILDER.version;
}

/**
 * Builds one single executable with `node --build-sea`. `--random-seed` fixes the V8 state the code
 * cache is serialised from, which makes the blob (and so the archive) reproducible; it affects the
 * build process only (the cache is accepted by a normally seeded start, checked by the release test).
 */
export async function buildSeaExecutable(o: SeaOptions): Promise<SeaResult> {
  const codeCache = codeCacheFor(o.target);
  await mkdir(dirname(o.outFile), { recursive: true });
  // The blob records the main script's path as given: relative, run from its directory, so where the
  // release is built does not change a byte.
  const mainDir = dirname(o.bundle.main);
  const configPath = join(mainDir, `sea-${o.target.os}-${o.target.arch}.json`);
  const config = {
    main: basename(o.bundle.main),
    mainFormat: 'module',
    executable: o.targetNode,
    output: o.outFile,
    useCodeCache: codeCache,
    useSnapshot: false,
    disableExperimentalSEAWarning: true,
    assets: o.bundle.assets,
  };
  await writeFile(configPath, `${JSON.stringify(config, null, 2)}\n`);
  try {
    // A clean environment: NODE_OPTIONS (jest sets one) would change V8's flags and with them the
    // flag hash stamped into the code cache, which would then be rejected at every start.
    await execFileAsync(o.builderNode, ['--random-seed=1', '--build-sea', configPath], {
      cwd: mainDir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (error) {
    const e = error as { stderr?: string; message: string };
    throw new Error(`node --build-sea for ${o.target.os}/${o.target.arch} failed: ${e.stderr || e.message}`);
  } finally {
    await rm(configPath, { force: true });
  }
  await chmod(o.outFile, 0o755);
  return { path: o.outFile, codeCache };
}

export const seaWorkDir = (outDir: string, t: NodeTarget): string => join(outDir, 'sea', `${t.os}_${t.arch}`);
