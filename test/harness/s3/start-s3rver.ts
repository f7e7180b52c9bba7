import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../registry/start-registry.js';

export interface RunningS3 {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

/** Starts a real S3 server (s3rver, the S3 REST API over HTTP) on a free loopback port with a temp store. */
export async function startS3(bucket = 'seco'): Promise<RunningS3> {
  const dir = mkdtempSync(join(tmpdir(), 'seco-s3-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'node_modules/.bin/s3rver',
    ['-d', dir, '-a', '127.0.0.1', '-p', String(port), '--configure-bucket', bucket, '--silent'],
    { stdio: 'ignore' },
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`s3rver exited with ${child.exitCode}`);
    try {
      await fetch(endpoint);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`s3rver did not answer at ${endpoint}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    endpoint,
    accessKey: 'S3RVER',
    secretKey: 'S3RVER',
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
