import {
  request as httpRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import { type RequestOptions as HttpsRequestOptions, request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { isObject } from './patch.js';
import { findType } from './resources.js';
import { notFound, serviceUnavailable } from './status.js';
import type { KubeStore } from './store.js';

/**
 * The service proxy subresource (/api/v1/namespaces/<ns>/services/[scheme:]<name>[:port]/proxy/<path>):
 * HTTP requests and WebSocket (any Upgrade) connections are forwarded to the target the test
 * registered for that service port, as kube-apiserver forwards to an endpoint of the Service.
 * The caller's Authorization header is not forwarded: the API server drops it once it has
 * authenticated the request, so a backend never sees the user's token.
 */
interface Target {
  port: string;
  url: URL;
}

/**
 * How the aggregation layer reaches an APIService's backend, beyond a plain service proxy: over TLS with
 * the front-proxy client certificate, the backend's CA (or none: insecureSkipTLSVerify), and the
 * identity headers it sets after removing the caller's own.
 */
export interface ProxyVia {
  tls: Pick<HttpsRequestOptions, 'cert' | 'key' | 'ca' | 'rejectUnauthorized' | 'servername'>;
  headers: Record<string, string | string[]>;
  /** Request headers removed before forwarding (names lower-case, prefixes end with '-'). */
  strip: (name: string) => boolean;
}

const SERVICES = findType('', 'v1', 'services')!;
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'authorization',
  'host',
]);

/** `name`, `name:port` or `scheme:name:port` (the ServiceProxyOptions path form). */
function parseServiceSegment(segment: string): { name: string; port: string } {
  const parts = segment.split(':');
  if (parts.length >= 3) return { name: parts[1]!, port: parts[2]! };
  return { name: parts[0]!, port: parts[1] ?? '' };
}

export class ServiceProxy {
  private readonly targets = new Map<string, Target[]>();

  constructor(private readonly store: KubeStore) {}

  register(namespace: string, service: string, port: number | string, url: string): void {
    const key = `${namespace}/${service}`;
    const list = (this.targets.get(key) ?? []).filter((t) => t.port !== String(port));
    list.push({ port: String(port), url: new URL(url) });
    this.targets.set(key, list);
  }

  unregister(namespace: string, service: string): void {
    this.targets.delete(`${namespace}/${service}`);
  }

  /** The Service's spec.ports name for a number and number for a name, so either form finds the target. */
  private aliases(namespace: string, name: string, port: string): string[] {
    const service = this.store.get(SERVICES, namespace, name);
    const ports = isObject(service?.spec) && Array.isArray(service.spec.ports) ? service.spec.ports : [];
    const found = ports.find((p) => isObject(p) && (String(p.port) === port || p.name === port));
    return isObject(found) ? [port, String(found.port), String(found.name ?? '')] : [port];
  }

  /** The base URL registered for `name[:port]` in `namespace` (404/503 as the proxy answers). */
  registeredUrl(namespace: string, segment: string): URL {
    return this.resolve(namespace, segment).url;
  }

  private resolve(namespace: string, segment: string): Target {
    const { name, port } = parseServiceSegment(segment);
    const targets = this.targets.get(`${namespace}/${name}`) ?? [];
    if (targets.length === 0) {
      if (!this.store.get(SERVICES, namespace, name))
        throw notFound({ group: '', resource: 'services', name });
      throw serviceUnavailable(`no endpoints available for service "${name}"`);
    }
    const names = this.aliases(namespace, name, port);
    const target = port === '' ? targets[0] : targets.find((t) => names.includes(t.port));
    if (!target) throw serviceUnavailable(`no endpoints available for service "${segment}"`);
    return target;
  }

  private forwardHeaders(
    request: IncomingMessage,
    target: URL,
    upgrade: boolean,
    via?: ProxyVia,
  ): IncomingHttpHeaders {
    const headers: IncomingHttpHeaders = {};
    for (const [key, value] of Object.entries(request.headers)) {
      if (via?.strip(key)) continue;
      if (!HOP_BY_HOP.has(key) || (upgrade && (key === 'connection' || key === 'upgrade')))
        headers[key] = value;
    }
    Object.assign(headers, via?.headers);
    headers.host = target.host;
    const forwardedFor = request.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = request.headers['x-forwarded-for']
      ? `${request.headers['x-forwarded-for']}, ${forwardedFor}`
      : forwardedFor;
    return headers;
  }

  private targetUrl(target: URL, path: string, search: string): URL {
    const base = target.pathname.replace(/\/$/, '');
    return new URL(`${base}${path === '' ? '/' : path}${search}`, target);
  }

  /** Forwards a plain HTTP request; errors reaching the target are 503 Status responses. */
  forward(
    namespace: string,
    segment: string,
    path: string,
    url: URL,
    request: IncomingMessage,
    response: ServerResponse,
    via?: ProxyVia,
  ): void {
    const target = this.resolve(namespace, segment);
    const destination = this.targetUrl(target.url, path, url.search);
    const outgoing = send(
      destination,
      { method: request.method, headers: this.forwardHeaders(request, destination, false, via) },
      via,
      (reply) => {
        const headers = Object.fromEntries(
          Object.entries(reply.headers).filter(
            ([k]) => !['connection', 'keep-alive', 'transfer-encoding'].includes(k),
          ),
        );
        response.writeHead(reply.statusCode ?? 502, headers);
        reply.pipe(response);
      },
    );
    outgoing.on('error', (error) => {
      if (response.headersSent) return void response.destroy();
      const status = serviceUnavailable(`error trying to reach service: ${error.message}`);
      response.writeHead(503, { 'Content-Type': 'application/json' });
      response.end(JSON.stringify(status.body));
    });
    request.pipe(outgoing);
  }

  /** Forwards an Upgrade request and, once the target answers 101, splices the two sockets. */
  upgrade(
    namespace: string,
    segment: string,
    path: string,
    url: URL,
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    via?: ProxyVia,
  ): void {
    const target = this.resolve(namespace, segment);
    const destination = this.targetUrl(target.url, path, url.search);
    const outgoing = send(
      destination,
      { method: request.method, headers: this.forwardHeaders(request, destination, true, via) },
      via,
    );
    outgoing.on('upgrade', (reply, upstream, upstreamHead) => {
      socket.write(rawHead(reply));
      if (upstreamHead.length > 0) socket.write(upstreamHead);
      if (head.length > 0) upstream.write(head);
      upstream.pipe(socket).pipe(upstream);
      const close = () => {
        upstream.destroy();
        socket.destroy();
      };
      upstream.on('error', close);
      socket.on('error', close);
    });
    outgoing.on('response', (reply) => {
      // The target refused the upgrade: relay its answer once, then close (no keep-alive on this socket).
      socket.write(rawHead(reply, true));
      reply.pipe(socket);
    });
    outgoing.on('error', (error) => {
      const status = serviceUnavailable(`error trying to reach service: ${error.message}`);
      writeRawStatus(socket, 503, status.body);
    });
    outgoing.end();
  }
}

/** http:// targets for the service proxy; https:// with the aggregation layer's client certificate. */
function send(
  destination: URL,
  options: { method?: string; headers: IncomingHttpHeaders },
  via: ProxyVia | undefined,
  onReply?: (reply: IncomingMessage) => void,
) {
  if (destination.protocol === 'https:')
    return httpsRequest(
      destination,
      { ...options, ...via?.tls, ...(via ? {} : { rejectUnauthorized: false }) },
      onReply,
    );
  return httpRequest(destination, options, onReply);
}

function rawHead(reply: IncomingMessage, closing = false): string {
  const lines = [`HTTP/1.1 ${reply.statusCode} ${reply.statusMessage ?? ''}`];
  for (let i = 0; i < reply.rawHeaders.length; i += 2) {
    const name = reply.rawHeaders[i]!;
    if (closing && /^(transfer-encoding|connection|content-length)$/i.test(name)) continue;
    lines.push(`${name}: ${reply.rawHeaders[i + 1]}`);
  }
  if (closing) lines.push('Connection: close');
  return `${lines.join('\r\n')}\r\n\r\n`;
}

/** Answers a not-upgraded socket with a JSON Status and closes it. */
export function writeRawStatus(socket: Duplex, code: number, body: unknown): void {
  const text = JSON.stringify(body);
  socket.end(
    `HTTP/1.1 ${code} ${code === 401 ? 'Unauthorized' : 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`,
  );
}
