import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { debianPackage } from './debian-packages.js';
import type { ImagePlatform } from './platforms.js';

const run = promisify(execFile);

/** node-gyp as npm ships it beside the node running this build. */
function nodeGyp(): string {
  return join(dirname(process.execPath), '../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js');
}

/** Debian's libbpf for a foreign architecture, and what its shared library needs to link (bpf/have-loader.sh). */
const LIBBPF_SYSROOT_PACKAGES = ['libbpf-dev', 'libbpf1', 'libelf1', 'zlib1g'];

/**
 * A cross build's libbpf: the target's Debian packages (fetched with `apt-get download` into the build cache,
 * like the image's own packages) extracted into one directory the addon's build links against. libbpf's
 * headers are the same on every architecture; its shared library and dependencies are the target's.
 */
async function libbpfSysroot(cacheDir: string, workDir: string, platform: ImagePlatform): Promise<string> {
  const root = join(workDir, 'addon', platform.architecture, 'libbpf-sysroot');
  await rm(root, { recursive: true, force: true });
  await mkdir(root, { recursive: true });
  for (const name of LIBBPF_SYSROOT_PACKAGES) {
    const pkg = await debianPackage(cacheDir, { name, keep: [/^usr\/(include|lib)\//, /^lib\//] }, platform);
    for (const file of pkg.files) {
      await mkdir(dirname(join(root, file)), { recursive: true });
      await cp(join(pkg.root, file), join(root, file), { verbatimSymlinks: true });
    }
  }
  return root;
}

/**
 * The runtime watcher's N-API addon (core/runtime/native) compiled for the platform against the
 * image's own Node headers (`--nodedir`), with Debian's cross compiler for arm64. A release build has no
 * debug info and node-gyp passes relative source paths, so the output does not depend on `workDir`
 * (test/integration/release/image-reproducible.test.ts builds in two directories).
 */
export async function buildProcConnector(
  repoRoot: string,
  workDir: string,
  platform: ImagePlatform,
  nodedir: string,
  cacheDir: string,
): Promise<{ dir: string; files: string[] }> {
  const dir = join(workDir, 'addon', platform.architecture, 'seco-proc-connector');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await cp(join(repoRoot, 'core/runtime/native'), dir, { recursive: true });
  await rm(join(dir, 'build'), { recursive: true, force: true });
  await rm(join(dir, 'bpf-build'), { recursive: true, force: true });
  // The eBPF sensor's loader links libbpf: the build machine's for its own architecture, else the target's.
  const sysroot =
    platform.nodeArch === process.arch ? undefined : await libbpfSysroot(cacheDir, workDir, platform);
  await run(
    process.execPath,
    [nodeGyp(), 'rebuild', `--nodedir=${nodedir}`, `--arch=${platform.nodeArch}`, '--release', '--silent'],
    {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: dir,
        CC: platform.cc,
        CXX: platform.cxx,
        LINK: platform.cxx,
        ...(sysroot ? { SECO_LIBBPF_SYSROOT: sysroot } : {}),
        SOURCE_DATE_EPOCH: process.env.SOURCE_DATE_EPOCH ?? '0',
      },
      maxBuffer: 16 * 2 ** 20,
    },
  ).catch((error: Error & { stderr?: string }) => {
    throw new Error(
      `building the proc-connector addon for ${platform.name} failed (needs ${platform.cc}): ${error.stderr || error.message}`,
    );
  });
  // The eBPF sensor, where its libbpf loader was built: its CO-RE object for this architecture. vmlinux.h from
  // the build machine's BTF serves both: the kernel types the program reads are arch-neutral and relocated by
  // name to the node's kernel; arm64's syscall registers are declared in sensor.bpf.c. An image without the
  // loader carries neither and falls back to the connector, said in its log.
  const loader = 'build/Release/ebpf_sensor.node';
  const object = 'bpf-build/sensor.bpf.o';
  const withSensor = existsSync(join(dir, loader));
  if (withSensor) {
    await run('sh', ['bpf/build.sh'], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        SECO_BPF_ARCH: platform.architecture === 'arm64' ? 'arm64' : 'x86',
      },
    }).catch((error: Error & { stderr?: string }) => {
      throw new Error(
        `building the eBPF sensor object for ${platform.name} failed: ${error.stderr || error.message}`,
      );
    });
    if (!existsSync(join(dir, object)))
      throw new Error(
        `the eBPF sensor object was not built for ${platform.name}: install clang, llvm, bpftool and libbpf-dev (.ci/run)`,
      );
  }
  return {
    dir,
    files: [
      'package.json',
      'index.cjs',
      'ebpf.cjs',
      'build/Release/proc_connector.node',
      ...(withSensor ? [loader, object] : []),
    ],
  };
}
