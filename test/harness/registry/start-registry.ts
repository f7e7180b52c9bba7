import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunningRegistry {
  /** host:port on loopback. */
  host: string;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitFor(url: string, child: ChildProcess, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}`);
    try {
      const response = await fetch(url);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer at ${url}`);
}

/**
 * Starts Debian's real `docker-registry` (distribution) on a free loopback port with filesystem storage
 * in a temp dir; with `basicAuth`, behind htpasswd (bcrypt, as the registry requires).
 */
export async function startRegistry(
  options: { basicAuth?: { username: string; password: string } } = {},
): Promise<RunningRegistry> {
  try {
    execFileSync('sh', ['-c', 'command -v docker-registry'], { stdio: 'ignore' });
  } catch {
    throw new Error('docker-registry is not installed (apt-get install -y docker-registry)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'seco-registry-'));
  const port = await freePort();
  let auth = '';
  if (options.basicAuth) {
    const line = execFileSync('htpasswd', ['-Bbn', options.basicAuth.username, options.basicAuth.password], {
      encoding: 'utf8',
    }).trim();
    writeFileSync(join(dir, 'htpasswd'), `${line}\n`);
    auth = `auth:\n  htpasswd:\n    realm: seco-test\n    path: ${join(dir, 'htpasswd')}\n`;
  }
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: 'ignore' });
  await waitFor(`http://127.0.0.1:${port}/v2/`, child, Date.now() + 15_000);
  return {
    host: `127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Pushes an OCI layout's tag to the registry with skopeo (plain HTTP, optional credentials). */
export function pushWithSkopeo(
  layout: string,
  tag: string,
  destination: string,
  creds?: { username: string; password: string },
): void {
  execFileSync('skopeo', [
    'copy',
    '--quiet',
    '--dest-tls-verify=false',
    ...(creds ? ['--dest-creds', `${creds.username}:${creds.password}`] : []),
    `oci:${layout}:${tag}`,
    `docker://${destination}`,
  ]);
}
