import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { cacheEntry, exists } from './cache-entry.js';
import type { ImagePlatform } from './platforms.js';
import { NONROOT } from './rootfs.js';
import { TOOLS_DEBIAN_PACKAGES, TOOLS_DEBIAN_SUITE, TOOLS_DPKG_FILTERS } from './tools-packages.js';

const run = promisify(execFile);
const MAX_OUTPUT = 64 * 1024 * 1024;

export interface DebianRootfs {
  /** mmdebstrap's tar of the root file system (reproducible: SOURCE_DATE_EPOCH, fixed packages) */
  tar: string;
  /** every package in it, name and version, sorted by name */
  packages: { name: string; version: string }[];
}

/**
 * The image's non-root user (as in seco's image) and its home; no apt sources (the image has no apt).
 * Fixed text only: nothing from a user or a cluster reaches these shell hooks.
 */
const CUSTOMIZE_HOOKS = [
  `echo 'nonroot:x:${NONROOT}:${NONROOT}:nonroot:/home/nonroot:/usr/sbin/nologin' >> "$1/etc/passwd"`,
  `echo 'nonroot:x:${NONROOT}:' >> "$1/etc/group"`,
  `mkdir -p "$1/home/nonroot" && chown ${NONROOT}:${NONROOT} "$1/home/nonroot" && chmod 0700 "$1/home/nonroot"`,
  'rm -f "$1/etc/apt/sources.list" "$1/etc/hostname" "$1/etc/resolv.conf"',
  // rkhunter's postinst (`rkhunter --propupd`) records the image's own files with their inode numbers, which
  // differ on every build; it describes the image, not a host rkhunter is run on, so it goes.
  'rm -f "$1/var/lib/rkhunter/db/rkhunter.dat"',
];

function mmdebstrapArgs(platform: ImagePlatform): string[] {
  return [
    '--mode=auto',
    '--variant=essential',
    `--architectures=${platform.debianArch}`,
    `--include=${TOOLS_DEBIAN_PACKAGES.join(',')}`,
    ...TOOLS_DPKG_FILTERS.map((f) => `--dpkgopt=${f}`),
    '--quiet',
  ];
}

/**
 * The local package pool for the platform: every .deb the image is made of, fetched once from the mirror
 * apt is configured with (mmdebstrap resolves the dependencies, as it would for the image) and kept in the
 * cache. Later builds install from this pool only, so they install exactly these versions — the same image
 * every time, whatever the mirror has since — until the pool is deleted (`--refresh-tools-packages`).
 */
async function packagePool(cacheDir: string, platform: ImagePlatform): Promise<string> {
  // Named by what it was resolved for: a package added to the list resolves a new pool.
  const wanted = createHash('sha256')
    .update(`${TOOLS_DEBIAN_SUITE}\n${TOOLS_DEBIAN_PACKAGES.join('\n')}`)
    .digest('hex')
    .slice(0, 12);
  const pool = join(cacheDir, 'tools-debian', `${platform.debianArch}-${wanted}`);
  if (/\s/.test(pool))
    throw new Error(`cache directory ${JSON.stringify(pool)}: no spaces allowed (mmdebstrap hooks)`);
  return cacheEntry(pool, async (temp) => {
    await mkdir(temp, { recursive: true });
    await run(
      'mmdebstrap',
      [
        ...mmdebstrapArgs(platform),
        '--format=null',
        // Keep every .deb apt fetched: the Essential set's too (mmdebstrap unlinks those by default).
        '--skip=download/empty',
        '--skip=essential/unlink',
        `--customize-hook=sync-out /var/cache/apt/archives ${temp}`,
        TOOLS_DEBIAN_SUITE,
        '/dev/null',
      ],
      { maxBuffer: MAX_OUTPUT },
    ).catch((error: Error & { stderr?: string }) => {
      throw new Error(
        `mmdebstrap could not fetch the tools' packages (${error.stderr?.trim().split('\n').slice(-3).join(' ') ?? error.message}); without a mirror, put the .debs in ${pool} (apt-get download, docs/tools-image.md)`,
      );
    });
    for (const name of await readdir(temp))
      if (!name.endsWith('.deb')) await rm(join(temp, name), { recursive: true, force: true });
    await indexPool(temp);
  });
}

/**
 * `Packages` for the pool (a flat repository, `deb [trusted=yes] copy://DIR ./`: mmdebstrap copies what it installs into the chroot), written by dpkg-scanpackages,
 * and its `Release` naming the suite: mmdebstrap picks the Essential set with apt's `?codename(^bookworm$)`
 * pattern, which a repository without a Release matches nothing of. Release's hash is what apt checks the
 * index against (Debian's repository format, "Release files").
 */
async function indexPool(pool: string): Promise<void> {
  const { stdout } = await run('dpkg-scanpackages', ['--multiversion', '.'], {
    cwd: pool,
    maxBuffer: MAX_OUTPUT,
  });
  await writeFile(join(pool, 'Packages'), stdout);
  const sha256 = createHash('sha256').update(stdout).digest('hex');
  const size = Buffer.byteLength(stdout);
  await writeFile(
    join(pool, 'Release'),
    [
      'Origin: seco tools image pool',
      `Suite: ${TOOLS_DEBIAN_SUITE}`,
      `Codename: ${TOOLS_DEBIAN_SUITE}`,
      'SHA256:',
      ` ${sha256} ${size} Packages`,
      '',
    ].join('\n'),
  );
}

/** Name and version of every package in a pool's index. */
function poolPackages(index: string): { name: string; version: string }[] {
  return index
    .split(/\n\n+/)
    .flatMap((stanza) => {
      const name = /^Package: (.+)$/m.exec(stanza)?.[1];
      const version = /^Version: (.+)$/m.exec(stanza)?.[1];
      return name && version ? [{ name, version }] : [];
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Debian's root file system with the tools, as a tar: mmdebstrap from the local pool with every timestamp at
 * `epoch` (SOURCE_DATE_EPOCH, which mmdebstrap honours for reproducible output), no /dev entries (the runtime
 * makes them), the non-root user added.
 */
export async function debianRootfs(
  cacheDir: string,
  platform: ImagePlatform,
  epoch: number,
  work: string,
): Promise<DebianRootfs> {
  const pool = await packagePool(cacheDir, platform);
  if (!(await exists(join(pool, 'Release')))) await indexPool(pool);
  const tar = join(work, `debian-${platform.debianArch}.tar`);
  await run(
    'mmdebstrap',
    [
      ...mmdebstrapArgs(platform),
      '--format=tar',
      '--skip=output/dev',
      ...CUSTOMIZE_HOOKS.map((hook) => `--customize-hook=${hook}`),
      TOOLS_DEBIAN_SUITE,
      tar,
      `deb [trusted=yes] copy://${pool} ./`,
    ],
    { env: { ...process.env, SOURCE_DATE_EPOCH: String(epoch) }, maxBuffer: MAX_OUTPUT },
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(
      `mmdebstrap (tools image, ${platform.name}) failed: ${error.stderr?.trim().split('\n').slice(-5).join(' ') ?? error.message}`,
    );
  });
  return { tar, packages: poolPackages(await readFile(join(pool, 'Packages'), 'utf8')) };
}
