import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheEntry } from './cache-entry.js';
import type { ImagePlatform } from './platforms.js';

const run = promisify(execFile);

/**
 * What the image takes from one Debian package: the files `node` needs (its NEEDED libraries, the ELF
 * interpreter), licences, os-release; never the whole package (locales, gconv, binaries, docs).
 */
export interface DebianPackageSpec {
  name: string;
  /** `all` packages (ca-certificates) have one .deb for every architecture. */
  archAll?: boolean;
  /** Paths inside the package (no leading ./) to keep; `{triplet}` is the multiarch directory. */
  keep: readonly RegExp[];
}

const so = (names: string) => new RegExp(`^(usr/)?lib/{triplet}/(${names})$`);

/** The Node.js executable's NEEDED list: libatomic, libdl, libm, libstdc++, libgcc_s, libpthread, libc, ld.so. */
export const DEBIAN_PACKAGES: readonly DebianPackageSpec[] = [
  // os-release: which distribution the libraries come from (scanners pick Debian:12 advisories by it).
  { name: 'base-files', keep: [/^usr\/lib\/os-release$/, /^etc\/os-release$/] },
  {
    name: 'libc6',
    keep: [
      so(
        String.raw`ld-linux[-.\w]*\.so\.\d|libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libresolv\.so\.2|libnss_(files|dns)\.so\.2`,
      ),
      /^lib64\/ld-linux-x86-64\.so\.2$/,
      /^lib\/ld-linux-aarch64\.so\.1$/,
      /^usr\/share\/doc\/libc6\/copyright$/,
    ],
  },
  { name: 'libgcc-s1', keep: [so(String.raw`libgcc_s\.so\.1`)] },
  { name: 'libatomic1', keep: [so(String.raw`libatomic\.so\.1[.\d]*`)] },
  { name: 'libstdc++6', keep: [so(String.raw`libstdc\+\+\.so\.6[.\d]*`)] },
  // The eBPF sensor's loader (core/runtime/native/src/ebpf_sensor.c) links libbpf, which needs libelf and zlib.
  { name: 'libbpf1', keep: [so(String.raw`libbpf\.so\.1[.\d]*`)] },
  { name: 'libelf1', keep: [so(String.raw`libelf(-[.\d]+)?\.so[.\d]*`)] },
  { name: 'zlib1g', keep: [so(String.raw`libz\.so\.1[.\d]*`)] },
  // The certificates only: the bundle /etc/ssl/certs/ca-certificates.crt is made from them at build time.
  {
    name: 'ca-certificates',
    archAll: true,
    keep: [
      /^usr\/share\/ca-certificates\/mozilla\/[^/]+\.crt$/,
      /^usr\/share\/doc\/ca-certificates\/copyright$/,
    ],
  },
];

export interface DebianPackage {
  name: string;
  version: string;
  /** the extracted package tree */
  root: string;
  /** `dpkg-deb -f`: the control fields, the record dpkg's status.d gets (distroless) */
  control: string;
  /** paths inside `root` to ship */
  files: string[];
}

/** The newest of several cached .debs of one package, by dpkg's own version order. */
async function newest(dir: string, debs: string[]): Promise<string> {
  let best = debs[0]!;
  for (const deb of debs.slice(1)) {
    const version = (file: string) => file.split('_')[1] ?? '';
    const newer = await run('dpkg', ['--compare-versions', version(deb), 'gt', version(best)]).then(
      () => true,
      () => false,
    );
    if (newer) best = deb;
  }
  return join(dir, best);
}

/** The package's .deb for the platform, from the cache or `apt-get download` (Debian's current version). */
async function debFile(cacheDir: string, spec: DebianPackageSpec, platform: ImagePlatform): Promise<string> {
  const arch = spec.archAll ? 'all' : platform.debianArch;
  const dir = join(cacheDir, 'debian', arch);
  await mkdir(dir, { recursive: true });
  const find = async () =>
    (await readdir(dir)).filter((f) => f.startsWith(`${spec.name}_`) && f.endsWith(`_${arch}.deb`)).sort();
  let debs = await find();
  if (debs.length === 0) {
    const target = spec.archAll ? spec.name : `${spec.name}:${platform.debianArch}`;
    // Downloaded in a directory of its own, then moved in: a concurrent build never reads half a .deb.
    const temp = await mkdtemp(join(dir, `.${spec.name}-`));
    try {
      await run('apt-get', ['download', '-q', target], { cwd: temp }).catch((error: Error) => {
        throw new Error(
          `apt-get download ${target} failed${platform.debianArch === 'arm64' ? ' (arm64 needs `dpkg --add-architecture arm64 && apt-get update`)' : ''}: ${error.message}`,
        );
      });
      for (const deb of await readdir(temp)) await rename(join(temp, deb), join(dir, deb));
    } finally {
      await rm(temp, { recursive: true, force: true });
    }
    debs = await find();
  }
  if (debs.length === 0) throw new Error(`no ${spec.name} .deb for ${arch} in ${dir}`);
  return newest(dir, debs);
}

async function listFiles(root: string, prefix = ''): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) out.push(...(await listFiles(root, path)));
    else out.push(path);
  }
  return out;
}

/** One Debian package for the platform: fetched, extracted, and trimmed to what `spec.keep` names. */
export async function debianPackage(
  cacheDir: string,
  spec: DebianPackageSpec,
  platform: ImagePlatform,
): Promise<DebianPackage> {
  const deb = await debFile(cacheDir, spec, platform);
  const root = await cacheEntry(`${deb.slice(0, -'.deb'.length)}.extracted`, async (temp) => {
    await mkdir(temp);
    await run('dpkg-deb', ['-x', deb, temp]);
  });
  const { stdout: control } = await run('dpkg-deb', ['-f', deb]);
  const version = /^Version: (.+)$/m.exec(control)?.[1];
  if (!version) throw new Error(`${deb}: no Version in its control file`);
  const keep = spec.keep.map((r) => new RegExp(r.source.replaceAll('{triplet}', platform.triplet)));
  const files = (await listFiles(root)).filter((f) => keep.some((r) => r.test(f))).sort();
  return { name: spec.name, version, root, control, files };
}

/** The dpkg status record for a package (status.d/<name>): its control fields, marked installed. */
export function statusRecord(pkg: DebianPackage): string {
  const lines = pkg.control.trimEnd().split('\n');
  const at = lines.findIndex((l) => l.startsWith('Package:'));
  lines.splice(at + 1, 0, 'Status: install ok installed');
  return `${lines.join('\n')}\n`;
}
