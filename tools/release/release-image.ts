import { access, mkdir, rename, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { buildImage, type ImageBuild } from './image/build-image.js';
import { parsePlatforms } from './image/platforms.js';
import { buildToolsImage } from './image/tools-image.js';

const MiB = 2 ** 20;

/** The build summary a person reads: index digest, and per platform the manifest digest and pull size. */
export function describeBuild(build: ImageBuild, outDir: string): string {
  const lines = [
    `OCI layout ${outDir} (tag ${build.tag}, SOURCE_DATE_EPOCH ${build.sourceDateEpoch}, commit ${build.commit})`,
    `index ${build.index.digest}`,
  ];
  for (const image of build.images) {
    lines.push(
      `${image.platform}: manifest ${image.manifest.digest}, ${(image.compressedSize / MiB).toFixed(1)} MiB compressed`,
    );
    for (const l of image.layers)
      lines.push(`  layer ${l.name.padEnd(4)} ${l.digest} ${(l.size / MiB).toFixed(1)} MiB`);
    lines.push(`  debian ${image.debian.map((d) => `${d.name} ${d.version}`).join(', ')}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `--out` is replaced whole: only when it is absent or already an OCI layout, so a typo cannot delete a tree. */
async function checkReplaceable(outDir: string): Promise<void> {
  const present = (path: string) =>
    access(path).then(
      () => true,
      () => false,
    );
  if ((await present(outDir)) && !(await present(join(outDir, 'oci-layout'))))
    throw new Error(
      `--out ${outDir} exists and is not an OCI image layout (no oci-layout file): not replacing it`,
    );
}

/**
 * The tools image's default platform is this machine's: mmdebstrap runs the packages' maintainer scripts,
 * which for another architecture needs qemu-user-static and binfmt_misc (docs/tools-image.md).
 */
const HOST_PLATFORM = process.arch === 'arm64' ? 'linux/arm64' : 'linux/amd64';

/**
 * `npm run release:image` (seco's image) and `release:image -- --tools` (the tools image): builds into a
 * fresh directory beside `release/oci` (`release/oci-tools`) and swaps it in, so a failed build leaves the
 * previous layout whole; nothing else in release/ is touched.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      tools: { type: 'boolean', default: false },
      platform: { type: 'string', multiple: true },
      out: { type: 'string' },
      cache: { type: 'string', default: '.seco-cache' },
    },
  });
  const tools = values.tools === true;
  values.platform ??= [tools ? HOST_PLATFORM : 'linux/amd64,linux/arm64'];
  values.out ??= tools ? 'release/oci-tools' : 'release/oci';
  const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)); // dist/tools/release/ → root
  const outDir = resolve(repoRoot, values.out);
  const building = `${outDir}.building-${process.pid}`;
  try {
    const platforms = parsePlatforms(values.platform);
    await checkReplaceable(outDir);
    await mkdir(resolve(outDir, '..'), { recursive: true });
    await rm(building, { recursive: true, force: true });
    const started = Date.now();
    const build = await (tools ? buildToolsImage : buildImage)({
      repoRoot,
      outDir: building,
      cacheDir: resolve(repoRoot, values.cache),
      platforms,
    });
    await rm(outDir, { recursive: true, force: true });
    await rename(building, outDir);
    process.stdout.write(describeBuild(build, outDir));
    process.stdout.write(`built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  } catch (error) {
    await rm(building, { recursive: true, force: true });
    console.error(
      `release:image${tools ? ' --tools' : ''}: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) await main();
