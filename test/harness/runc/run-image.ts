import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { requireTool } from '../registry/required-tool.js';

const run = promisify(execFile);

/** The part of umoci's generated runtime config (runtime-spec config.md) the image decides. */
interface RuntimeConfig {
  process: { args: string[]; env: string[]; user: { uid: number; gid: number }; cwd: string } & Record<
    string,
    unknown
  >;
  mounts: { destination: string; type?: string; source?: string; options?: string[] }[];
  linux: { namespaces: { type: string }[] } & Record<string, unknown>;
  [key: string]: unknown;
}

export interface UnpackedImage {
  rootfs: string;
  /** umoci's config: the image's Entrypoint+Cmd, Env, User and WorkingDir turned into a runtime config */
  config: RuntimeConfig;
}

/** An OCI layout's tag unpacked by umoci into a runtime bundle (rootfs owned as the layers say). */
export async function unpackImage(layout: string, tag: string, bundle: string): Promise<UnpackedImage> {
  requireTool('umoci', 'umoci');
  await run('umoci', ['unpack', '--image', `${layout}:${tag}`, bundle], { timeout: 120_000 });
  const config = JSON.parse(await readFile(join(bundle, 'config.json'), 'utf8')) as RuntimeConfig;
  return { rootfs: join(bundle, 'rootfs'), config };
}

export interface ImageContainerSpec {
  /** Arguments after the image's Entrypoint (replacing its Cmd), as Kubernetes `args:`. */
  args: string[];
  /** Host paths bind-mounted read-only. */
  binds?: { source: string; destination: string }[];
  /** Another user than the image's, as a pod's `runAsUser` (the tools runner's node tools run as root). */
  user?: { uid: number; gid: number };
}

export interface ImageContainer {
  id: string;
  /** The container's init process, as the host sees it. */
  pid(): Promise<number>;
  /** stdout and stderr so far. */
  output(): string;
  remove(): Promise<void>;
}

/**
 * Runs the unpacked image with runc the way a restricted pod would: the image's own user, entrypoint and
 * environment, a read-only root filesystem with a tmpfs /tmp, no capabilities, no rlimits (STACK.md), and
 * the host's network namespace (no network namespace in the spec), so it reaches loopback servers.
 * Every container shares the one unpacked rootfs: it is read-only.
 */
export async function startImageContainer(
  stateRoot: string,
  image: UnpackedImage,
  spec: ImageContainerSpec,
  workDir: string,
): Promise<ImageContainer> {
  requireTool('runc', 'runc');
  const id = `seco-image-${randomBytes(6).toString('hex')}`;
  const bundle = join(workDir, id);
  await mkdir(bundle, { recursive: true });
  const { rlimits: _rlimits, ...imageProcess } = image.config.process;
  const entrypoint = imageProcess.args.slice(0, imageProcess.args.length - 1); // umoci appended the image's Cmd
  const config = {
    ...image.config,
    process: {
      ...imageProcess,
      terminal: false,
      args: [...entrypoint, ...spec.args],
      ...(spec.user ? { user: spec.user } : {}),
      capabilities: { bounding: [], effective: [], permitted: [], inheritable: [], ambient: [] },
      noNewPrivileges: true,
    },
    root: { path: image.rootfs, readonly: true },
    mounts: [
      ...image.config.mounts,
      {
        destination: '/tmp',
        type: 'tmpfs',
        source: 'tmpfs',
        options: ['nosuid', 'nodev', 'mode=1777', 'size=262144k'],
      },
      ...(spec.binds ?? []).map((b) => ({
        destination: b.destination,
        type: 'bind',
        source: b.source,
        options: ['rbind', 'ro'],
      })),
    ],
    linux: {
      ...image.config.linux,
      namespaces: image.config.linux.namespaces.filter((n) => n.type !== 'network'),
    },
  };
  await writeFile(join(bundle, 'config.json'), JSON.stringify(config));
  const log = join(bundle, 'output.log');
  const fd = openSync(log, 'w');
  // `runc run -d` hands its stdio to the container: a file, so the container's output outlives runc.
  await new Promise<void>((resolve, reject) => {
    const child = spawn('runc', ['--root', stateRoot, 'run', '-d', '--bundle', bundle, id], {
      stdio: ['ignore', fd, fd],
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`runc run ${id}: exit ${code}: ${readFileSync(log, 'utf8')}`)),
    );
  }).finally(() => closeSync(fd));
  return {
    id,
    async pid() {
      const { stdout } = await run('runc', ['--root', stateRoot, 'state', id]);
      return (JSON.parse(stdout) as { pid: number }).pid;
    },
    output: () => readFileSync(log, 'utf8'),
    async remove() {
      await run('runc', ['--root', stateRoot, 'delete', '-f', id], { timeout: 20_000 }).catch(
        () => undefined,
      );
      await rm(bundle, { recursive: true, force: true });
    },
  };
}
