import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, posix } from 'node:path';
import { getAsset, isSea } from 'node:sea';
import { fileURLToPath } from 'node:url';

/**
 * The one place that knows where seco's run-time data files are: the built-in rules
 * (`core/feedback/rules`, `core/runtime/rules`), the kustomize base (`manifests`) and dependency data
 * such as sql.js's WebAssembly. Callers name a file or directory by its path in the package
 * (`resourcePath('core/runtime/rules')`) and get a directory or file on disk, whichever way seco runs:
 *
 * - from source (ts-jest), from `dist/`, or as an npm dependency: the first ancestor of this module's
 *   directory that holds the path (the repository or package root; for `node_modules/…` paths this
 *   is Node's own lookup order);
 * - as the single executable (Node SEA): the files are SEA assets, written once per build into the
 *   user's cache directory and read from there. Assets rather than files beside the executable
 *   because krew on Windows copies the executable alone into its bin directory when the user may
 *   not create symbolic links, and because the callers read whole directories with fs.
 */

/** What the release bundle embeds (esbuild `define`): the asset keys and a digest of their content. */
export interface EmbeddedResources {
  /** sha256 (hex) over every key and its content: names the extraction directory */
  digest: string;
  /** asset keys, each the file's path in the package (`core/runtime/rules/shell.yaml`) */
  keys: string[];
}

declare const __SECO_RESOURCES__: EmbeddedResources | undefined;

let extractedRoot: string | undefined;

export function resourcePath(relative: string): string {
  const normal = posix.normalize(relative);
  if (normal.startsWith('../') || posix.isAbsolute(normal))
    throw new Error(`resource path ${JSON.stringify(relative)} must stay inside the package`);
  if (typeof __SECO_RESOURCES__ !== 'undefined' && isSea()) return embeddedPath(__SECO_RESOURCES__, normal);
  return packagePath(normal);
}

function packagePath(relative: string): string {
  const from = dirname(fileURLToPath(import.meta.url));
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, ...relative.split('/'));
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir)
      throw new Error(`seco resource ${relative} is not in ${from} or any directory above it`);
  }
}

function embeddedPath(resources: EmbeddedResources, relative: string): string {
  if (!resources.keys.some((key) => key === relative || key.startsWith(`${relative}/`)))
    throw new Error(`seco resource ${relative} is not embedded in this executable (${process.execPath})`);
  extractedRoot ??= extractAll(resources);
  return join(extractedRoot, ...relative.split('/'));
}

/** The user's cache directory, as for the vulnerability database: $XDG_CACHE_HOME or ~/.cache. */
function cacheDir(): string {
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'seco', 'resources');
}

/**
 * Writes every asset under <cache>/seco/resources/<digest>/ the first time this build runs; later
 * runs find the directory and write nothing. Written into a fresh private directory and renamed into
 * place, so a concurrent run or an interrupted one never leaves a half-written tree under the final name.
 */
function extractAll(resources: EmbeddedResources): string {
  const parent = cacheDir();
  const target = join(parent, resources.digest.slice(0, 32));
  if (existsSync(target)) return target;
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  const staging = mkdtempSync(join(parent, '.partial-'));
  try {
    for (const key of resources.keys) {
      const file = join(staging, ...key.split('/'));
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, new Uint8Array(getAsset(key)));
    }
    renameSync(staging, target);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    // Another run renamed its copy into place first: the content is the same (same digest).
    if (existsSync(target)) return target;
    throw new Error(`cannot write seco's data files to ${target}: ${(error as Error).message}`);
  }
  return target;
}
