import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { requireTool } from './required-tool.js';
import { startTokenServer, type TokenServer } from './token-server.js';

export { freePort } from './free-port.js';

export interface RunningRegistry {
  /** host:port on loopback. */
  host: string;
  /** The token server in front of it, with `tokenAuth`. */
  tokens?: TokenServer;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  /** htpasswd (bcrypt, as the registry requires) Basic auth. */
  basicAuth?: { username: string; password: string };
  /** Bearer-token auth: the registry trusts a token server started alongside it. */
  tokenAuth?: { username: string; password: string };
}

async function waitFor(url: string, child: ChildProcess, deadline: number, log: () => string): Promise<void> {
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`docker-registry exited with ${child.exitCode}: ${log()}`);
    try {
      const response = await fetch(url);
      if (response.status === 200 || response.status === 401) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`docker-registry did not answer at ${url}: ${log()}`);
}

function htpasswdAuth(dir: string, creds: { username: string; password: string }): string {
  requireTool('htpasswd', 'apache2-utils');
  const line = execFileSync('htpasswd', ['-Bbn', creds.username, creds.password], {
    encoding: 'utf8',
  }).trim();
  writeFileSync(join(dir, 'htpasswd'), `${line}\n`);
  return `auth:\n  htpasswd:\n    realm: seco-test\n    path: ${join(dir, 'htpasswd')}\n`;
}

const tokenAuthConfig = (t: TokenServer) =>
  `auth:\n  token:\n    realm: ${t.realm}\n    service: ${t.service}\n    issuer: ${t.issuer}\n    rootcertbundle: ${t.certPath}\n`;

/**
 * Starts Debian's real `docker-registry` (distribution) on a free loopback port with filesystem storage
 * in a temp dir — anonymous, behind htpasswd Basic auth, or trusting a test token server.
 */
export async function startRegistry(options: RegistryOptions = {}): Promise<RunningRegistry> {
  requireTool('docker-registry', 'docker-registry');
  const dir = mkdtempSync(join(tmpdir(), 'seco-registry-'));
  const port = await freePort();
  const tokens = options.tokenAuth ? await startTokenServer(dir, options.tokenAuth) : undefined;
  const auth = options.basicAuth
    ? htpasswdAuth(dir, options.basicAuth)
    : tokens
      ? tokenAuthConfig(tokens)
      : '';
  writeFileSync(
    join(dir, 'config.yml'),
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: 127.0.0.1:${port}\n${auth}`,
  );
  const child = spawn('docker-registry', ['serve', join(dir, 'config.yml')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  await waitFor(`http://127.0.0.1:${port}/v2/`, child, Date.now() + 15_000, () => stderr);
  return {
    host: `127.0.0.1:${port}`,
    ...(tokens ? { tokens } : {}),
    stop: async () => {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
      await tokens?.stop();
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
  requireTool('skopeo', 'skopeo');
  execFileSync(
    'skopeo',
    [
      'copy',
      '--quiet',
      '--dest-tls-verify=false',
      ...(creds ? ['--dest-creds', `${creds.username}:${creds.password}`] : []),
      `oci:${layout}:${tag}`,
      `docker://${destination}`,
    ],
    { stdio: 'pipe' },
  );
}
