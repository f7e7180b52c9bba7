import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { BuildInfo } from '../../../core/build/build-info.js';
import { DEBIAN_PACKAGES, debianPackage } from './debian-packages.js';
import { nodePackage } from './node-package.js';
import { type Descriptor, OCI_INDEX, OciLayoutWriter } from './oci-layout-writer.js';
import type { ImagePlatform } from './platforms.js';
import { buildProcConnector } from './proc-connector-addon.js';
import { baseLayer, CA_BUNDLE, NODE_PATH, NONROOT, nodeLayer, SECO_ROOT, secoLayer } from './rootfs.js';
import { bundleServices, SERVICE_BUNDLE_ENTRY } from './service-bundle.js';

const run = promisify(execFile);

export const IMAGE_SOURCE = 'https://github.com/seco-dev/seco';

export interface ImageBuildOptions {
  repoRoot: string;
  /** the OCI layout to write (created; must not exist) */
  outDir: string;
  /** downloads (npm's node package, Debian's .debs) kept between builds */
  cacheDir: string;
  platforms: readonly ImagePlatform[];
  /** seconds since the epoch for every timestamp; default SOURCE_DATE_EPOCH, else the commit's time */
  sourceDateEpoch?: number;
  /** default SECO_BUILD_COMMIT, else `git rev-parse HEAD` */
  commit?: string;
}

export interface PlatformImage {
  platform: string;
  manifest: Descriptor;
  /** compressed bytes: config + layers, what a pull downloads */
  compressedSize: number;
  layers: { name: string; digest: string; size: number }[];
  debian: { name: string; version: string }[];
}

export interface ImageBuild {
  tag: string;
  index: Descriptor;
  sourceDateEpoch: number;
  commit: string;
  images: PlatformImage[];
}

export async function git(repoRoot: string, args: string[]): Promise<string | undefined> {
  return run('git', args, { cwd: repoRoot }).then(
    (r) => r.stdout.trim(),
    () => undefined,
  );
}

/** SOURCE_DATE_EPOCH (reproducible-builds.org): given, else from the environment, else the commit's time. */
export async function sourceDateEpoch(repoRoot: string, given?: number): Promise<number> {
  const raw = given ?? process.env.SOURCE_DATE_EPOCH ?? (await git(repoRoot, ['log', '-1', '--format=%ct']));
  const epoch = Number(raw);
  if (!Number.isSafeInteger(epoch) || epoch < 0)
    throw new Error(`SOURCE_DATE_EPOCH ${JSON.stringify(raw)}: expected whole seconds since 1970`);
  return epoch;
}

async function optionalFile(path: string): Promise<string | undefined> {
  return stat(path).then(
    () => path,
    () => undefined,
  );
}

/** What a build is of: package.json's version, the commit, SOURCE_DATE_EPOCH and the time it stands for. */
export async function buildIdentity(
  repoRoot: string,
  o: Pick<ImageBuildOptions, 'sourceDateEpoch' | 'commit'>,
) {
  const { version } = JSON.parse(await readFile(join(repoRoot, 'package.json'), 'utf8')) as {
    version: string;
  };
  const epoch = await sourceDateEpoch(repoRoot, o.sourceDateEpoch);
  const commit =
    o.commit ?? process.env.SECO_BUILD_COMMIT ?? (await git(repoRoot, ['rev-parse', 'HEAD'])) ?? 'unknown';
  const info: BuildInfo = { version, commit };
  return { version, epoch, commit, created: new Date(epoch * 1000).toISOString(), info };
}

/** The image's OCI annotations as config labels (image-spec annotations.md). */
export function imageLabels(
  build: { version: string; commit: string; created: string },
  title: string,
  description: string,
): Record<string, string> {
  return {
    'org.opencontainers.image.title': title,
    'org.opencontainers.image.description': description,
    'org.opencontainers.image.version': build.version,
    'org.opencontainers.image.revision': build.commit,
    'org.opencontainers.image.source': IMAGE_SOURCE,
    'org.opencontainers.image.created': build.created,
    'org.opencontainers.image.licenses': 'Apache-2.0',
  };
}

/** One platform's manifest over its config and layers, and what the build summary says of it. */
export async function platformImage(
  layout: OciLayoutWriter,
  platform: ImagePlatform,
  config: unknown,
  layers: readonly { name: string; layer: Descriptor }[],
  debian: readonly { name: string; version: string }[],
  build: { version: string; created: string },
): Promise<PlatformImage> {
  const manifest = await layout.image(
    config,
    layers.map((l) => l.layer),
    { 'org.opencontainers.image.created': build.created, 'org.opencontainers.image.version': build.version },
  );
  const configSize = Buffer.byteLength(JSON.stringify(config));
  return {
    platform: platform.name,
    manifest: { ...manifest, platform: { os: 'linux', architecture: platform.architecture } },
    compressedSize: configSize + layers.reduce((n, l) => n + l.layer.size, 0),
    layers: layers.map((l) => ({ name: l.name, digest: l.layer.digest, size: l.layer.size })),
    debian: debian.map((d) => ({ name: d.name, version: d.version })),
  };
}

/** The layout's multi-platform index over the images built, named by the version, written last. */
export async function finishLayout(
  layout: OciLayoutWriter,
  images: readonly PlatformImage[],
  build: { version: string; commit: string; created: string },
): Promise<Descriptor> {
  const index = await layout.json(OCI_INDEX, {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: images.map((i) => i.manifest),
    annotations: {
      'org.opencontainers.image.created': build.created,
      'org.opencontainers.image.version': build.version,
      'org.opencontainers.image.revision': build.commit,
      'org.opencontainers.image.source': IMAGE_SOURCE,
    },
  });
  await layout.finish(index, build.version);
  return index;
}

/** How a runtime starts an image's process (image-spec config.md `config`), labels aside. */
export interface ImageRun {
  User: string;
  Env: string[];
  Entrypoint: string[];
  Cmd?: string[];
  WorkingDir: string;
}

/** An image config (image-spec config.md): how a runtime starts it, its layers, and who built each from what. */
export function imageConfig(
  platform: ImagePlatform,
  diffIds: string[],
  created: string,
  labels: Record<string, string>,
  run: ImageRun,
  history: readonly string[],
) {
  return {
    created,
    architecture: platform.architecture,
    os: 'linux',
    config: { ...run, Labels: labels },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: history.map((step) => ({ created, created_by: step })),
  };
}

/** seco's image starts the launcher, which needs a service named first. */
const SECO_RUN: ImageRun = {
  User: `${NONROOT}:${NONROOT}`,
  Env: [
    'PATH=/usr/local/bin:/usr/bin:/bin',
    'NODE_ENV=production',
    // For anything that reads the system bundle (Node with --use-openssl-ca or NODE_USE_SYSTEM_CA=1).
    `SSL_CERT_FILE=/${CA_BUNDLE}`,
  ],
  Entrypoint: [`/${NODE_PATH}`, `/${SECO_ROOT}/${SERVICE_BUNDLE_ENTRY}`],
  // No service named: the launcher lists them. Kubernetes `args: [agent]` replaces this.
  Cmd: ['--help'],
  WorkingDir: '/home/nonroot',
};

const SECO_HISTORY = [
  'seco release:image: Debian libraries for Node.js, CA certificates, users',
  'seco release:image: Node.js from the npm registry',
  'seco release:image: seco services bundle and runtime addon',
];

/**
 * Builds seco's image — one image, both services, for each platform — as an OCI layout: the layout's
 * index.json names (by package.json's version) an image index over one manifest per platform.
 */
export async function buildImage(o: ImageBuildOptions): Promise<ImageBuild> {
  const repoRoot = resolve(o.repoRoot);
  const cacheDir = resolve(o.cacheDir);
  const { version, epoch, commit, created, info } = await buildIdentity(repoRoot, o);
  const labels = imageLabels(
    { version, commit, created },
    'seco',
    'seco services: aggregator and agent (first argument picks one)',
  );
  const work = await mkdtemp(join(resolve(o.outDir, '..'), '.seco-image-work-'));
  try {
    const bundleDir = join(work, 'bundle');
    const bundleFiles = await bundleServices(repoRoot, bundleDir, info);
    const licence = await optionalFile(join(repoRoot, 'LICENSE'));
    const layout = new OciLayoutWriter(o.outDir);
    await layout.init();
    const images: PlatformImage[] = [];
    for (const platform of o.platforms) {
      const node = await nodePackage(cacheDir, platform);
      const debian = [];
      for (const spec of DEBIAN_PACKAGES) debian.push(await debianPackage(cacheDir, spec, platform));
      const addon = await buildProcConnector(repoRoot, work, platform, node.nodedir, cacheDir);
      const layers = [
        { name: 'base', layer: await layout.layer(await baseLayer(debian), epoch) },
        { name: 'node', layer: await layout.layer(await nodeLayer(node), epoch) },
        {
          name: 'seco',
          layer: await layout.layer(await secoLayer(bundleDir, bundleFiles, addon, licence), epoch),
        },
      ];
      const diffIds = layers.map((l) => l.layer.diffId);
      const config = imageConfig(platform, diffIds, created, labels, SECO_RUN, SECO_HISTORY);
      images.push(await platformImage(layout, platform, config, layers, debian, { version, created }));
    }
    const index = await finishLayout(layout, images, { version, commit, created });
    return { tag: version, index, sourceDateEpoch: epoch, commit, images };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
