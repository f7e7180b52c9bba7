import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';

export interface WeakListeners {
  /** A TLS server still accepting TLS 1.0 and 1.1, with a self-signed certificate: what TLS tools flag. */
  tlsPort: number;
  /** A plain TCP server (a debug endpoint no container declares). */
  plainPort: number;
  close(): Promise<void>;
}

/**
 * The two listeners the network tools' tests stand in for a Service's endpoints with, on 127.0.0.1 and
 * free ports. Connections a scanner leaves open are destroyed on close, so the servers can shut.
 */
export async function startWeakListeners(commonName: string): Promise<WeakListeners> {
  const certs = mkdtempSync(join(tmpdir(), 'seco-weak-tls-'));
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${commonName}`].concat([
      '-keyout',
      join(certs, 'key.pem'),
      '-out',
      join(certs, 'cert.pem'),
    ]),
    { stdio: 'pipe' },
  );
  const sockets = new Set<Socket>();
  const listen = (server: Server) =>
    new Promise<number>((resolve) => {
      server.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.on('error', () => {}); // scanners hang up mid-handshake
        socket.on('close', () => sockets.delete(socket));
      });
      server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port));
    });
  const tls = createTlsServer(
    {
      key: readFileSync(join(certs, 'key.pem')),
      cert: readFileSync(join(certs, 'cert.pem')),
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    },
    (socket) => socket.end('hello\n'),
  );
  tls.on('tlsClientError', () => {});
  const plain = createServer((socket) => socket.end('debug\n'));
  const tlsPort = await listen(tls);
  const plainPort = await listen(plain);
  return {
    tlsPort,
    plainPort,
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => tls.close(r));
      await new Promise((r) => plain.close(r));
      rmSync(certs, { recursive: true, force: true });
    },
  };
}
