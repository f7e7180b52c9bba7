import { lstat, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { type DebianPackage, statusRecord } from './debian-packages.js';
import type { NodePackage } from './node-package.js';
import type { LayerEntry } from './tar-layer.js';

/** The image's non-root user (distroless's `nonroot`): every service runs as it unless a manifest says otherwise. */
export const NONROOT = 65532;
/** Where seco's code lives in the image (SERVICE_BUNDLE_DIR is below it). */
export const SECO_ROOT = 'opt/seco';
export const NODE_PATH = 'usr/local/bin/node';
export const CA_BUNDLE = 'etc/ssl/certs/ca-certificates.crt';

/** A file or symlink of the build machine as a layer entry: mode reduced to 0755 or 0644. */
async function hostEntry(imagePath: string, source: string): Promise<LayerEntry> {
  const stat = await lstat(source);
  if (stat.isSymbolicLink()) return { path: imagePath, type: 'symlink', target: await readlink(source) };
  if (!stat.isFile()) throw new Error(`${source}: neither a file nor a symlink`);
  return {
    path: imagePath,
    type: 'file',
    mode: stat.mode & 0o111 ? 0o755 : 0o644,
    content: { source, size: stat.size },
  };
}

const text = (path: string, content: string, mode = 0o644): LayerEntry => ({
  path,
  type: 'file',
  mode,
  content: Buffer.from(content),
});

/**
 * Layer 1: what a distroless `cc` base holds — users, the Debian libraries Node needs with their dpkg
 * status records (status.d, one per package), os-release, CA certificates — and nothing to run: no shell,
 * no package manager, no coreutils.
 */
export async function baseLayer(packages: readonly DebianPackage[]): Promise<LayerEntry[]> {
  const entries: LayerEntry[] = [
    { path: 'tmp', type: 'directory', mode: 0o1777 },
    { path: 'home/nonroot', type: 'directory', mode: 0o700, uid: NONROOT, gid: NONROOT },
    { path: 'root', type: 'directory', mode: 0o700 },
    text(
      'etc/passwd',
      `root:x:0:0:root:/root:/sbin/nologin\nnonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/sbin/nologin\n`,
    ),
    text('etc/group', `root:x:0:\nnonroot:x:${NONROOT}:\n`),
    text('etc/nsswitch.conf', 'passwd: files\ngroup: files\nhosts: files dns\n'),
  ];
  for (const pkg of packages) {
    entries.push(text(`var/lib/dpkg/status.d/${pkg.name}`, statusRecord(pkg)));
    for (const file of pkg.files) {
      // The certificates go in as one bundle (what update-ca-certificates would write), not one by one.
      if (pkg.name === 'ca-certificates' && file.endsWith('.crt')) continue;
      entries.push(await hostEntry(file, join(pkg.root, file)));
    }
  }
  const certificates = packages.find((p) => p.name === 'ca-certificates');
  if (!certificates) throw new Error('no ca-certificates package');
  const pems = await Promise.all(
    certificates.files
      .filter((f) => f.endsWith('.crt'))
      .map((f) => readFile(join(certificates.root, f), 'utf8')),
  );
  entries.push(text(CA_BUNDLE, pems.map((p) => (p.endsWith('\n') ? p : `${p}\n`)).join('')));
  return entries;
}

/** Layer 2: the Node.js executable and its licence; nothing else of the npm package (no headers, npm, docs). */
export async function nodeLayer(node: NodePackage): Promise<LayerEntry[]> {
  return [
    await hostEntry(NODE_PATH, node.binary),
    await hostEntry('usr/local/share/doc/node/LICENSE', node.license),
  ];
}

/** Layer 3: seco — the services' bundle and its data files, the runtime addon for this architecture, the licence. */
export async function secoLayer(
  bundleDir: string,
  bundleFiles: readonly string[],
  addon: { dir: string; files: readonly string[] },
  licence: string | undefined,
): Promise<LayerEntry[]> {
  const entries: LayerEntry[] = [];
  for (const f of bundleFiles) entries.push(await hostEntry(`${SECO_ROOT}/${f}`, join(bundleDir, f)));
  for (const f of addon.files) {
    const entry = await hostEntry(`${SECO_ROOT}/node_modules/seco-proc-connector/${f}`, join(addon.dir, f));
    entries.push(entry);
  }
  if (licence) entries.push(await hostEntry(`${SECO_ROOT}/LICENSE`, licence));
  // Nothing here is run directly (node loads it): no executable bits, whatever the build machine had.
  return entries.map((e) => (e.type === 'file' ? { ...e, mode: 0o644 } : e));
}
