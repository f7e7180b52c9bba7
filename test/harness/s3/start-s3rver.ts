import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { get as httpsGet } from 'node:https';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServerProcess, startProcess, waitUntilReady } from '../nats/server-process.js';
import { freePort } from '../registry/free-port.js';

export interface RunningS3 {
  /** `http(s)://127.0.0.1:PORT`, for S3ObjectStore's endpoint. */
  endpoint: string;
  /** The bucket created at start. */
  bucket: string;
  /** s3rver's fixed credentials (`S3RVER`/`S3RVER`); it checks request signatures with them. */
  accessKey: string;
  secretKey: string;
  /** Where s3rver keeps the objects (removed by stop). */
  dataDir: string;
  /** Stops the server and starts it again on the same port and data (after `downMs`): objects survive. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server and removes its data. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartS3Options {
  startTimeoutMs?: number;
  /** Serve https with this certificate (the local stack's, core/trust/local-trust.ts); `ca` verifies it. */
  tls?: { certFile: string; keyFile: string; ca: string };
}

/** s3rver's command-line script, from the npm package (a devDependency). */
function s3rverScript(): string {
  let script: string;
  try {
    script = createRequire(import.meta.url).resolve('s3rver/bin/s3rver.js');
  } catch {
    throw new Error('s3rver is not installed: npm install (it is a devDependency)');
  }
  if (!existsSync(script)) throw new Error(`s3rver's script is missing at ${script}: npm install`);
  return script;
}

async function answers(endpoint: string, ca?: string): Promise<boolean> {
  if (ca)
    return new Promise((resolve) => {
      const req = httpsGet(endpoint, { ca, timeout: 1000 }, (response) => {
        response.resume();
        resolve(true);
      });
      req.once('error', () => resolve(false));
      req.once('timeout', () => req.destroy());
    });
  try {
    await (await fetch(endpoint, { signal: AbortSignal.timeout(1000) })).arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/**
 * Starts a real S3 server (s3rver: the S3 REST API over HTTP, with SigV4 checks) on a free loopback port with
 * a temporary store and one bucket, as a child process so its disk work stays off the test's event loop.
 */
export async function startS3(bucket = 'seco', options: StartS3Options = {}): Promise<RunningS3> {
  const script = s3rverScript();
  const dir = mkdtempSync(join(tmpdir(), 'seco-s3-'));
  const dataDir = join(dir, 'data');
  const scheme = options.tls ? 'https' : 'http';
  const launch = async (port: number): Promise<ServerProcess> => {
    const args = [script, '-d', dataDir, '-a', '127.0.0.1', '-p', String(port), '--configure-bucket', bucket];
    if (options.tls) args.push('--cert', options.tls.certFile, '--key', options.tls.keyFile);
    const started = startProcess(process.execPath, args, join(dir, 's3rver.log'));
    try {
      await waitUntilReady(
        `s3rver on port ${port}`,
        started,
        () => answers(`${scheme}://127.0.0.1:${port}`, options.tls?.ca),
        options.startTimeoutMs ?? 15_000,
      );
      return started;
    } catch (error) {
      await started.stop();
      throw error;
    }
  };
  let port = 0;
  let server: ServerProcess | undefined;
  // A port picked free can be taken before the server binds it: try a few.
  for (let attempt = 1; !server; attempt++) {
    port = await freePort();
    try {
      server = await launch(port);
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let running = server;
  const endpoint = `${scheme}://127.0.0.1:${port}`;
  return {
    endpoint,
    bucket,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    dataDir,
    restart: async (downMs = 0) => {
      await running.stop();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      running = await launch(port);
    },
    stop: async () => {
      await running.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The command-line flags seco's binaries take to reach this server (`--s3-*`, else `SECO_S3_*`). */
export function s3CliFlags(s3: RunningS3): string[] {
  return [
    '--s3-endpoint',
    s3.endpoint,
    '--s3-bucket',
    s3.bucket,
    '--s3-access-key',
    s3.accessKey,
    '--s3-secret-key',
    s3.secretKey,
  ];
}
