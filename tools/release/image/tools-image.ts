import { mkdtemp, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  buildIdentity,
  finishLayout,
  type ImageBuild,
  type ImageBuildOptions,
  type ImageRun,
  imageConfig,
  imageLabels,
  type PlatformImage,
  platformImage,
} from './build-image.js';
import { debianRootfs } from './debian-rootfs.js';
import { nodePackage } from './node-package.js';
import { OciLayoutWriter } from './oci-layout-writer.js';
import { NODE_PATH, NONROOT, nodeLayer, SECO_ROOT, secoLayer } from './rootfs.js';
import { bundleServices, SERVICE_BUNDLE_ENTRY } from './service-bundle.js';

/** The launcher's service the tools image starts (tools/release/service-entry.ts). */
export const TOOLS_SERVICE = 'tools';

/**
 * The tools runner as entrypoint. Root only where a tool needs it: node tools read the host's root-owned
 * files (the DaemonSet's container sets runAsUser 0); nmap -sT, sslscan and testssl.sh run as nonroot.
 */
const TOOLS_RUN: ImageRun = {
  User: `${NONROOT}:${NONROOT}`,
  Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'NODE_ENV=production'],
  Entrypoint: [`/${NODE_PATH}`, `/${SECO_ROOT}/${SERVICE_BUNDLE_ENTRY}`, TOOLS_SERVICE],
  // The node's tools by default; Kubernetes `args:` replaces it (`--serves services` in seco-tools).
  Cmd: ['--serves=node'],
  WorkingDir: '/home/nonroot',
};

const TOOLS_HISTORY = [
  'seco release:image --tools: Debian (mmdebstrap, essential) with the tools',
  'seco release:image --tools: Node.js from the npm registry',
  'seco release:image --tools: seco services bundle (the tools runner)',
];

/**
 * Builds the tools image (DESIGN.md: third-party tools live in containers of their own) as an OCI layout,
 * one manifest per platform: Debian's packages of the tools (tools-packages.ts) from a local pool of fixed
 * versions, Node.js, and seco's bundle started as the tools runner. Same inputs, same digest.
 */
export async function buildToolsImage(o: ImageBuildOptions): Promise<ImageBuild> {
  const repoRoot = resolve(o.repoRoot);
  const cacheDir = resolve(o.cacheDir);
  const build = await buildIdentity(repoRoot, o);
  const labels = imageLabels(
    build,
    'seco-tools',
    "seco's tools runner with Debian's security tools (lynis, chkrootkit, rkhunter, clamav, yara, nmap, sslscan, testssl.sh)",
  );
  const work = await mkdtemp(join(resolve(o.outDir, '..'), '.seco-tools-image-work-'));
  try {
    const bundleDir = join(work, 'bundle');
    const bundleFiles = await bundleServices(repoRoot, bundleDir, build.info);
    const layout = new OciLayoutWriter(o.outDir);
    await layout.init();
    const images: PlatformImage[] = [];
    for (const platform of o.platforms) {
      const debian = await debianRootfs(cacheDir, platform, build.epoch, work);
      const node = await nodePackage(cacheDir, platform);
      const layers = [
        { name: 'debian', layer: await layout.tarLayer(debian.tar) },
        { name: 'node', layer: await layout.layer(await nodeLayer(node), build.epoch) },
        {
          name: 'seco',
          layer: await layout.layer(
            await secoLayer(bundleDir, bundleFiles, { dir: work, files: [] }, undefined),
            build.epoch,
          ),
        },
      ];
      await rm(debian.tar, { force: true });
      const diffIds = layers.map((l) => l.layer.diffId);
      const config = imageConfig(platform, diffIds, build.created, labels, TOOLS_RUN, TOOLS_HISTORY);
      images.push(await platformImage(layout, platform, config, layers, debian.packages, build));
    }
    const index = await finishLayout(layout, images, build);
    return { tag: build.version, index, sourceDateEpoch: build.epoch, commit: build.commit, images };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
