import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../registry/start-registry.js';

export interface RunningNats {
  url: string;
  stop(): Promise<void>;
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** Starts the real nats-server (Debian package) with JetStream on a free loopback port and a temp store. */
export async function startNats(): Promise<RunningNats> {
  try {
    execFileSync('sh', ['-c', 'command -v nats-server'], { stdio: 'ignore' });
  } catch {
    throw new Error('nats-server is not installed (apt-get install -y nats-server)');
  }
  const dir = mkdtempSync(join(tmpdir(), 'seco-nats-'));
  const port = await freePort();
  const child: ChildProcess = spawn(
    'nats-server',
    ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 15_000;
  while (!(await listening(port))) {
    if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error('nats-server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
