import { execFile, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import type { KubeObject } from '../../../core/kube/types.js';

const run = promisify(execFile);
const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'cat', 'sleep', 'nc', 'ls', 'id', 'true', 'echo', 'apk'];

export interface ContainerSpec {
  /** Entrypoint; a quiet `sleep` by default. */
  args?: string[];
  uid?: number;
  /** Share the host's network namespace (hostNetwork: true). */
  hostNetwork?: boolean;
  /** Host file bind-mounted read-only at the service-account token path. */
  tokenFile?: string;
  /** Extra files copied into the root filesystem (path inside the container → content or host file). */
  files?: Record<string, { content?: string; from?: string; mode?: number }>;
}

/** A runc container laid out the way kubelet lays one out: cgroup `/kubepods/besteffort/pod<uid>/<64-hex id>`. */
export interface RuncContainer {
  id: string;
  podUid: string;
  /** `stdinOpenMs`: keep the process's stdin open that long (a `cat FILE -` then lives that long); `timeoutMs`:
   * killed after that long (default 15 s). */
  exec(
    args: string[],
    options?: { tty?: boolean; detach?: boolean; stdinOpenMs?: number; timeoutMs?: number },
  ): Promise<void>;
  remove(): Promise<void>;
}

/** A busybox-static root filesystem: applets as symlinks, a fake miner in the image, a payload dropped in /tmp. */
async function buildRootfs(dir: string): Promise<void> {
  for (const d of [
    'bin',
    'tmp',
    'proc',
    'dev',
    'etc',
    'usr/local/bin',
    'var/run/secrets/kubernetes.io/serviceaccount',
  ])
    await mkdir(join(dir, d), { recursive: true });
  await copyFile(BUSYBOX, join(dir, 'bin/busybox'));
  for (const a of APPLETS) await symlink('busybox', join(dir, 'bin', a));
  // A fake miner that lives 200 ms (a script: the kernel names the process after the script, `xmrig`).
  await writeFile(join(dir, 'usr/local/bin/xmrig'), '#!/bin/sh\nsleep 0.2\n', { mode: 0o755 });
  // A dropped binary in /tmp; named `sleep` so busybox runs an applet that lives as long as asked.
  await copyFile(BUSYBOX, join(dir, 'tmp/sleep'));
  await writeFile(join(dir, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\n');
}

function config(spec: ContainerSpec, rootfs: string, cgroupsPath: string): unknown {
  const mounts: unknown[] = [
    { destination: '/proc', type: 'proc', source: 'proc' },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'mode=755', 'size=65536k'] },
    {
      destination: '/dev/pts',
      type: 'devpts',
      source: 'devpts',
      options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620'],
    },
  ];
  if (spec.tokenFile)
    mounts.push({
      destination: '/var/run/secrets/kubernetes.io/serviceaccount/token',
      type: 'bind',
      source: spec.tokenFile,
      options: ['rbind', 'ro'],
    });
  const namespaces = [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }];
  if (!spec.hostNetwork) namespaces.push({ type: 'network' });
  return {
    ociVersion: '1.0.2',
    process: {
      terminal: false,
      user: { uid: spec.uid ?? 0, gid: 0 },
      args: spec.args ?? ['sleep', '3600'],
      env: ['PATH=/usr/local/bin:/bin', 'TERM=xterm'],
      cwd: '/',
      capabilities: {
        bounding: ['CAP_NET_BIND_SERVICE', 'CAP_KILL'],
        effective: ['CAP_NET_BIND_SERVICE', 'CAP_KILL'],
        permitted: ['CAP_NET_BIND_SERVICE', 'CAP_KILL'],
      },
      noNewPrivileges: true,
    },
    root: { path: rootfs, readonly: false },
    hostname: 'pod',
    mounts,
    linux: { cgroupsPath, namespaces, maskedPaths: ['/proc/kcore'], readonlyPaths: ['/proc/sys'] },
  };
}

// `runc run -d` hands its stdio to the container: with pipes, waiting for it would wait for the container.
function runDetached(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('runc', args, { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`runc ${args.join(' ')}: exit ${code}`)),
    );
  });
}

/** Starts a detached container; its runc state lives under `stateRoot`. */
export async function startContainer(stateRoot: string, spec: ContainerSpec = {}): Promise<RuncContainer> {
  const id = randomBytes(32).toString('hex');
  const podUid = randomUUID();
  const bundle = await mkdtemp(join(tmpdir(), 'seco-runc-'));
  const rootfs = join(bundle, 'rootfs');
  await buildRootfs(rootfs);
  for (const [path, f] of Object.entries(spec.files ?? {})) {
    const target = join(rootfs, path);
    await mkdir(dirname(target), { recursive: true });
    if (f.from) await copyFile(f.from, target);
    else await writeFile(target, f.content ?? '');
    await chmod(target, f.mode ?? 0o644);
  }
  await writeFile(
    join(bundle, 'config.json'),
    JSON.stringify(config(spec, rootfs, `/kubepods/besteffort/pod${podUid}/${id}`)),
  );
  await runDetached(['--root', stateRoot, 'run', '-d', '--bundle', bundle, id]);
  return {
    id,
    podUid,
    async exec(args, options = {}) {
      const flags = [...(options.tty ? ['-t'] : []), ...(options.detach ? ['-d'] : [])];
      await new Promise<void>((resolve, reject) => {
        const child = spawn('runc', ['--root', stateRoot, 'exec', ...flags, id, ...args], {
          stdio: ['pipe', 'ignore', 'ignore'],
        });
        setTimeout(() => child.stdin.end(), options.stdinOpenMs ?? 0);
        const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 15_000);
        child.on('error', reject);
        child.on('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    },
    async remove() {
      await run('runc', ['--root', stateRoot, 'delete', '-f', id], { timeout: 20_000 }).catch(
        () => undefined,
      );
      await rm(bundle, { recursive: true, force: true });
    },
  };
}

/**
 * The Pod the kubelet would report for `c` (one container `app`, its containerID in containerStatuses), so the
 * runtime watcher attributes the container's processes to it.
 */
export function podOf(
  c: RuncContainer,
  pod: { name: string; namespace: string; image?: string; runAsNonRoot?: boolean },
): KubeObject {
  const image = pod.image ?? 'busybox:1.35';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: pod.name, namespace: pod.namespace, uid: c.podUid },
    spec: {
      nodeName: 'node-1',
      ...(pod.runAsNonRoot === undefined ? {} : { securityContext: { runAsNonRoot: pod.runAsNonRoot } }),
      containers: [{ name: 'app', image }],
    },
    status: { containerStatuses: [{ name: 'app', containerID: `containerd://${c.id}`, image }] },
  };
}
