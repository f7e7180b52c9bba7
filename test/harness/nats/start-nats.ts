import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LocalTrustFiles, writeLocalTrust } from '../../../core/trust/local-trust.js';
import { freePort } from '../registry/free-port.js';
import { findBinary, type ServerProcess, startProcess, waitUntilReady } from './server-process.js';

export interface RunningNats {
  /** `nats://127.0.0.1:PORT`, for NatsBus.connect. */
  url: string;
  port: number;
  /** JetStream's store directory (removed by stop). */
  storeDir: string;
  /** With `trust`: the files the local stack's trust script wrote (CA, nats.conf, every user's creds). */
  trust?: LocalTrustFiles;
  /** Stops the server and starts it again on the same port and store (after `downMs`): streams and KV survive. */
  restart(downMs?: number): Promise<void>;
  /** Stops the server but keeps its port and store, for a test of what happens while NATS is down. */
  down(): Promise<void>;
  /** Starts a server stopped by `down` again on the same port and store. */
  up(): Promise<void>;
  /** Stops the server and removes its store. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartNatsOptions {
  startTimeoutMs?: number;
  /**
   * Start it as the local stack does (core/trust/local-trust.ts): operator-mode auth, TLS, and a `.creds`
   * file per node named here. Without it the server is open, as tests of the bus alone want.
   */
  trust?: { nodes: readonly string[] };
  /**
   * Start it with this configuration instead (e.g. the nats.conf an install rendered), given the port picked
   * for it and the temporary directory (JetStream's store is `<dir>/jetstream`).
   */
  config?: (port: number, dir: string) => string;
}

/** Ready means the server's INFO line says JetStream is on: the port alone opens before JetStream is up. */
function jetStreamReady(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('data', (chunk) => {
      text += chunk.toString();
      if (text.includes('\r\n')) done(/^INFO \{.*"jetstream":true/.test(text));
    });
    socket.once('error', () => done(false));
  });
}

async function launch(
  binary: string,
  port: number,
  dir: string,
  timeoutMs: number,
  config?: string,
): Promise<ServerProcess> {
  const args = config
    ? ['-c', config]
    : ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', join(dir, 'jetstream')];
  const server = startProcess(binary, args, join(dir, 'nats-server.log'));
  await waitUntilReady(`nats-server on port ${port}`, server, () => jetStreamReady(port), timeoutMs);
  return server;
}

/**
 * Starts the real nats-server (Debian package `nats-server`) with JetStream on a free loopback port and a
 * temporary store. Throws, saying how to install it, when the binary is missing: tests never skip.
 */
export async function startNats(options: StartNatsOptions = {}): Promise<RunningNats> {
  const binary = findBinary('nats-server', 'apt-get install -y nats-server');
  const timeoutMs = options.startTimeoutMs ?? 15_000;
  const dir = mkdtempSync(join(tmpdir(), 'seco-nats-'));
  let port = 0;
  let server: ServerProcess | undefined;
  let trust: LocalTrustFiles | undefined;
  let config: string | undefined;
  // A port picked free can be taken before the server binds it: try a few.
  for (let attempt = 1; !server; attempt++) {
    port = await freePort();
    try {
      trust = options.trust
        ? await writeLocalTrust(join(dir, 'trust'), {
            nodes: options.trust.nodes,
            natsPort: port,
            natsStoreDir: join(dir, 'jetstream'),
          })
        : undefined;
      if (options.config) writeFileSync(join(dir, 'nats.conf'), options.config(port, dir), { mode: 0o600 });
      config = options.config ? join(dir, 'nats.conf') : trust?.natsConfig;
      server = await launch(binary, port, dir, timeoutMs, config);
    } catch (error) {
      if (attempt >= 3) {
        rmSync(dir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  let current: ServerProcess = server;
  let running = true;
  const down = async () => {
    if (running) await current.stop();
    running = false;
  };
  const up = async () => {
    if (!running) current = await launch(binary, port, dir, timeoutMs, config);
    running = true;
  };
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir: join(dir, 'jetstream'),
    ...(trust ? { trust } : {}),
    restart: async (downMs = 0) => {
      await down();
      if (downMs > 0) await new Promise((r) => setTimeout(r, downMs));
      await up();
    },
    down,
    up,
    stop: async () => {
      if (running) await current.stop();
      running = false;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
