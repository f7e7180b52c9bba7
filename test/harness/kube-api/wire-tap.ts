import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { createServer, request as httpsRequest, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import type { KeyPairPem } from '../../../core/tls/forge-certificate.js';

/** One request the API server sent to the backend, and for upgrades the client's WebSocket messages. */
export interface TappedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** Text of the WebSocket frames the client sent through (unmasked). */
  messages: string[];
}

/**
 * A recording hop between the harness's aggregation proxy and an aggregated API server: it holds the
 * serving certificate the APIService trusts and the front-proxy client certificate, so it sees in clear
 * exactly what reaches the backend — headers, and the client's WebSocket messages after an upgrade
 * (compression is not negotiated through it, so frames are readable) — and passes everything on.
 */
export class WireTap {
  readonly requests: TappedRequest[] = [];
  private readonly server: Server;

  private constructor(
    serving: KeyPairPem,
    private readonly backend: URL,
    private readonly client: KeyPairPem & { ca: string },
  ) {
    this.server = createServer({ ...serving, requestCert: true, rejectUnauthorized: false }, (req, res) => {
      const tapped = this.record(req);
      const out = httpsRequest(
        this.target(req),
        { method: req.method, headers: tapped.headers, ...this.tls() },
        (reply) => {
          res.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(res);
        },
      );
      out.on('error', () => res.destroy());
      req.pipe(out);
    });
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      const tapped = this.record(req);
      const out = httpsRequest(this.target(req), {
        method: req.method,
        headers: tapped.headers,
        ...this.tls(),
      });
      out.on('upgrade', (reply, upstream, upstreamHead) => {
        const lines = [`HTTP/1.1 ${reply.statusCode} ${reply.statusMessage}`];
        for (let i = 0; i < reply.rawHeaders.length; i += 2)
          lines.push(`${reply.rawHeaders[i]}: ${reply.rawHeaders[i + 1]}`);
        socket.write(`${lines.join('\r\n')}\r\n\r\n`);
        if (upstreamHead.length > 0) socket.write(upstreamHead);
        const frames = new FrameReader((text) => tapped.messages.push(text));
        if (head.length > 0) {
          frames.push(head);
          upstream.write(head);
        }
        socket.on('data', (chunk: Buffer) => frames.push(chunk));
        socket.pipe(upstream).pipe(socket);
        const close = () => {
          upstream.destroy();
          socket.destroy();
        };
        upstream.on('error', close);
        socket.on('error', close);
      });
      out.on('response', (reply) => {
        socket.write(`HTTP/1.1 ${reply.statusCode} ${reply.statusMessage}\r\nConnection: close\r\n\r\n`);
        reply.pipe(socket);
      });
      out.on('error', () => socket.destroy());
      out.end();
    });
  }

  static async start(
    serving: KeyPairPem,
    backend: string,
    client: KeyPairPem & { ca: string },
  ): Promise<WireTap> {
    const tap = new WireTap(serving, new URL(backend), client);
    await new Promise<void>((resolve) => tap.server.listen(0, '127.0.0.1', resolve));
    return tap;
  }

  get url(): string {
    return `https://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private record(req: IncomingMessage): TappedRequest {
    const headers = { ...req.headers };
    delete headers['sec-websocket-extensions'];
    headers.host = this.backend.host;
    const tapped = { method: req.method ?? 'GET', url: req.url ?? '/', headers, messages: [] };
    this.requests.push(tapped);
    return tapped;
  }

  private target(req: IncomingMessage): URL {
    return new URL(req.url ?? '/', this.backend);
  }

  private tls() {
    return {
      cert: this.client.cert,
      key: this.client.key,
      ca: this.client.ca,
      servername: 'seco-aggregator.seco-system.svc',
    };
  }
}

/** RFC 6455 section 5.2 frames from a client (masked), their text payloads in order. */
class FrameReader {
  private buffer = Buffer.alloc(0);

  constructor(private readonly onText: (text: string) => void) {}

  push(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      const opcode = this.buffer[0]! & 0x0f;
      const masked = (this.buffer[1]! & 0x80) !== 0;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      const maskAt = offset;
      if (masked) offset += 4;
      if (this.buffer.length < offset + length) return;
      const payload = Buffer.from(this.buffer.subarray(offset, offset + length));
      if (masked) for (let i = 0; i < payload.length; i++) payload[i]! ^= this.buffer[maskAt + (i % 4)]!;
      if (opcode === 1 || opcode === 0) this.onText(payload.toString('utf8'));
      this.buffer = this.buffer.subarray(offset + length);
    }
  }
}
