import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from '../core/service/readiness.js';

/**
 * The agent's probes: `/healthz` (the process answers: it never exits on a server restart, so a liveness
 * failure means it is wedged) and `/readyz` (200 when NATS, the object store, the job queue and the
 * heartbeat all work; 503 naming what is degraded and since when otherwise).
 */
export async function startHealthServer(
  readiness: Readiness,
  host: string,
  port: number,
): Promise<{ address: AddressInfo; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    const reply = (status: number, body: string) => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(body);
    };
    if (request.method !== 'GET') return reply(405, 'method not allowed\n');
    if (path === '/healthz') return reply(200, 'ok\n');
    if (path === '/readyz') {
      const ready = readiness.isReady();
      return reply(ready ? 200 : 503, `${ready ? 'ready' : 'degraded'}\n${readiness.describe()}\n`);
    }
    reply(404, 'not found\n');
  });
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return {
    address: server.address() as AddressInfo,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
