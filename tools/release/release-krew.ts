import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { bundlePlugin } from './bundle.js';
import { archiveName, createKrewArchive } from './krew-archive.js';
import { type PlatformBuild, renderKrewManifest } from './krew-manifest.js';
import { validateKrewManifestFile } from './validate-krew-manifest.js';

/**
 * Platforms this script can build. The archive is JavaScript plus a POSIX sh launcher, so other
 * Unix platforms would likely work unchanged, but only linux/amd64 is built and tested here;
 * windows needs a .cmd launcher that does not exist yet.
 */
const BUILDABLE: Record<string, string | undefined> = {
  'linux/amd64': undefined,
  'linux/arm64':
    'not tested: no linux/arm64 machine in this build (the archive would be the same JS + sh launcher)',
  'darwin/amd64': 'not tested: no macOS machine in this build',
  'darwin/arm64': 'not tested: no macOS machine in this build',
  'windows/amd64': 'no Windows launcher (kubectl-seco.cmd) yet',
};

export interface ReleaseOptions {
  repoRoot: string;
  outDir: string;
  platforms: string[];
  /** where the archives will be downloadable from: uri = <base>/<archive name> */
  downloadBase?: string;
  homepage?: string;
}

export interface ReleaseResult {
  manifestPath: string;
  archives: { platform: string; path: string; sha256: string }[];
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
    if (!(p in BUILDABLE)) return [`${p}: unknown platform (known: ${Object.keys(BUILDABLE).join(', ')})`];
    const why = BUILDABLE[p];
    return why ? [`${p}: ${why}`] : [];
  });
  if (refused.length > 0) throw new Error(`cannot build:\n  ${refused.join('\n  ')}`);
  if (platforms.length === 0) throw new Error('no platform requested');
  return platforms;
}

export async function releaseKrew(o: ReleaseOptions): Promise<ReleaseResult> {
  const platforms = checkPlatforms(o.platforms);
  const repoRoot = resolve(o.repoRoot);
  const outDir = resolve(o.outDir);
  const { version, homepage } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
    homepage?: string;
  };
  const site = o.homepage ?? homepage ?? 'https://github.com/seco-dev/seco';
  const downloadBase = o.downloadBase ?? `${site}/releases/download/v${version}`;

  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  // Build output, never committed: the directory ignores itself.
  await writeFile(join(outDir, '.gitignore'), '*\n');
  // The archive's content is the same for every buildable platform (no native code in it).
  const stage = join(outDir, 'stage');
  await bundlePlugin({ repoRoot, outDir: stage });

  const archives: ReleaseResult['archives'] = [];
  const builds: PlatformBuild[] = [];
  for (const platform of platforms) {
    const [os = '', arch = ''] = platform.split('/');
    const name = archiveName(version, os, arch);
    const { path, sha256 } = await createKrewArchive(stage, join(outDir, name));
    await writeFile(`${path}.sha256`, `${sha256}  ${name}\n`);
    archives.push({ platform, path, sha256 });
    builds.push({ os, arch, sha256, uri: `${downloadBase}/${name}` });
  }
  const template = await readFile(join(repoRoot, 'krew/seco.yaml.tmpl'), 'utf8');
  const manifest = renderKrewManifest(template, { version, homepage: site, platforms: builds });
  const manifestPath = join(outDir, 'seco.yaml');
  await writeFile(manifestPath, manifest);

  const errors: string[] = [];
  for (const a of archives)
    for (const error of await validateKrewManifestFile(manifestPath, a.path)) errors.push(error);
  if (errors.length > 0) throw new Error(`the krew manifest does not validate:\n  ${errors.join('\n  ')}`);
  return { manifestPath, archives };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      platform: { type: 'string', multiple: true, default: ['linux/amd64'] },
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
    for (const a of result.archives) console.log(`${a.platform}: ${a.path}\n  sha256 ${a.sha256}`);
    console.log(`manifest: ${result.manifestPath} (validated against the archives)`);
  } catch (error) {
    console.error(`release:krew: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
