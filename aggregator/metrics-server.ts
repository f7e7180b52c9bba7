import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import { closeServer, listenOn } from '../core/service/server-lifecycle.js';
import { send } from './http-server.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `/metrics` on a port of its own (`--metrics-listen`), so the NetworkPolicy can open it to the
 * monitoring namespace only, and, with `--metrics-token-file`, behind a bearer token as well
 * (Prometheus' `authorization.credentials_file`). The client port answers no metrics (issue 11).
 */
export class MetricsServer {
  private readonly server: Server;

  constructor(registry: Registry, token: string | undefined) {
    const expected = token ? digest(token) : undefined;
    this.server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (request.method !== 'GET' || path !== '/metrics') return send(response, 404, 'not found\n');
      if (expected) {
        const given = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
        if (!given || !timingSafeEqual(digest(given), expected))
          return send(response, 401, 'a bearer token is required\n');
      }
      void registry
        .metrics()
        .then((text) => send(response, 200, text, registry.contentType))
        .catch((error: Error) => send(response, 500, `${error.message}\n`));
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return listenOn(this.server, host, port);
  }

  close(): Promise<void> {
    return closeServer(this.server);
  }
}
