import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { MAX_WS_MESSAGE_BYTES } from '../core/protocol/index.js';
import { closeServer, listenOn } from '../core/service/server-lifecycle.js';
import type { Caller } from './access.js';
import { ConnectionAdmission } from './admission.js';
import { type AdmissionLimits, defaultAdmissionLimits } from './admission-limits.js';
import { ClientSession } from './client-session.js';
import type { SessionOptions } from './session-context.js';

export interface HttpServerOptions extends SessionOptions {
  /** Ready to take scans: connected to NATS and the coordinator running. */
  ready: () => boolean;
  /** One line per dependency (nats, s3) and its state: the body of `/readyz`. */
  describeReadiness?: () => string;
  /** Extra GET routes (`/status`), by path. */
  gets?: Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>;
  /** Extra POST routes (Falco alerts), by path. */
  posts?: Record<string, (request: IncomingMessage, response: ServerResponse) => Promise<void>>;
  /** Limits on clients before `hello` (default: defaultAdmissionLimits()). */
  admission?: AdmissionLimits;
  /** Routes under a prefix (the `/v1/` scan API): answers and returns true for the paths it serves. */
  api?: (request: IncomingMessage, response: ServerResponse, path: string) => Promise<boolean>;
}

/** The WebSocket path; through the API server it is `.../services/seco-aggregator:http/proxy/ws`. */
export const WS_PATH = '/ws';

/**
 * The aggregator's plain-HTTP face: `/ws` (the client protocol, for direct connections with a static
 * token), `/healthz` (the process answers), `/readyz` (it can take scans), and the extra routes it is
 * given (`GET /status`, `POST /falco`). Metrics are on their own port (metrics-server.ts); the
 * aggregated API (users through the API server) on the TLS port (api/seco-api-server.ts). Frames larger than twice the protocol limit end the connection inside `ws`; smaller
 * oversized messages get an `error` and the connection goes on. Before `hello`, a client is held to the
 * admission limits (admission.ts).
 */
export class AggregatorHttpServer {
  private readonly server: Server;
  private readonly wss: WebSocketServer;
  private readonly admission: ConnectionAdmission;
  private readonly sessionOptions: SessionOptions;

  constructor(private readonly options: HttpServerOptions) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: 2 * MAX_WS_MESSAGE_BYTES });
    this.admission = new ConnectionAdmission(options.admission ?? defaultAdmissionLimits(), options.metrics);
    this.sessionOptions = { ...options, helloTimeoutMs: this.admission.limits.helloTimeoutMs };
    this.server = createServer((request, response) => void this.route(request, response));
    this.server.on('upgrade', (request, socket, head) => {
      const path = new URL(request.url ?? '/', 'http://x').pathname;
      if (path !== WS_PATH) {
        socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
        return;
      }
      this.acceptWebSocket(request, socket, head);
    });
    this.server.headersTimeout = 10_000;
    this.server.requestTimeout = 30_000;
  }

  /**
   * A client session on an upgraded connection, held to the admission limits until its hello. `caller`:
   * the connection came through the API server (aggregated API), which already said who it is.
   */
  acceptWebSocket(request: IncomingMessage, socket: Duplex, head: Buffer, caller?: Caller): void {
    if (!this.options.ready()) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\n\r\n');
      return;
    }
    const source = request.socket.remoteAddress ?? 'unknown';
    const refused = this.admission.check(source);
    if (refused) {
      const status = refused.status === 429 ? '429 Too Many Requests' : '503 Service Unavailable';
      const body = `${refused.message}\n`;
      socket.end(
        `HTTP/1.1 ${status}\r\nConnection: close\r\nRetry-After: 5\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
      );
      return;
    }
    this.wss.handleUpgrade(request, socket, head, (ws) => {
      new ClientSession(ws, { ...this.sessionOptions, caller }, this.admission.admit(source, ws, socket));
    });
  }

  listen(host: string, port: number): Promise<AddressInfo> {
    return listenOn(this.server, host, port);
  }

  /** Stops accepting, tells connected clients the service is restarting (1012) so they reconnect elsewhere. */
  async close(): Promise<void> {
    this.admission.stop();
    for (const client of this.wss.clients) client.close(1012, 'aggregator restarting');
    await closeServer(this.server);
    this.wss.close();
  }

  private readyz(response: ServerResponse): void {
    const details = this.options.describeReadiness?.() ?? '';
    const ready = this.options.ready();
    send(response, ready ? 200 : 503, `${ready ? 'ready' : 'not ready'}\n${details ? `${details}\n` : ''}`);
  }

  private async route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://x').pathname;
    try {
      if (request.method === 'GET' && path === '/healthz') return send(response, 200, 'ok\n');
      if (request.method === 'GET' && path === '/readyz') return this.readyz(response);
      if (request.method === 'GET' && path === '/metrics')
        return send(response, 404, 'metrics are served on the metrics port (--metrics-listen)\n');
      const get = this.options.gets?.[path];
      if (request.method === 'GET' && get) return await get(request, response);
      const post = this.options.posts?.[path];
      if (request.method === 'POST' && post) return await post(request, response);
      if (path.startsWith('/v1/') && (await this.options.api?.(request, response, path))) return;
      send(response, 404, 'not found\n');
    } catch (error) {
      send(response, 500, `${(error as Error).message}\n`);
    }
  }
}

export function send(
  response: ServerResponse,
  status: number,
  body: string,
  contentType = 'text/plain; charset=utf-8',
): void {
  if (response.headersSent) return;
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}
