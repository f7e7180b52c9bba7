import type { IncomingMessage } from 'node:http';
import { type ClientOptions, WebSocket } from 'ws';
import { loadKubeConfig } from '../../core/kube/load-kube-config.js';
import { MAX_WS_MESSAGE_BYTES } from '../../core/protocol/index.js';
import { SESSION_PATH } from '../../core/protocol/seco-api.js';

export { kubeBearerToken } from '../../core/kube/bearer-token.js';

/** A Service port reached through the API server: `/api/v1/namespaces/<ns>/services/<svc>:<port>/proxy/<path>`. */
export interface ServiceProxyTarget {
  namespace: string;
  service: string;
  /** The Service port, by name or number. */
  port: string | number;
  /** The path on the backend, e.g. `/ws`. */
  path: string;
}

export interface KubeCredentials {
  /** kubectl's --kubeconfig. */
  kubeconfig?: string;
  /** kubectl's --context. */
  context?: string;
}

export interface OpenedSocket {
  socket: WebSocket;
  /** The static token sent (direct connections only); nothing through the API server. */
  token?: string;
  /** What was dialled, for messages. */
  describe: string;
}

const HANDSHAKE_TIMEOUT_MS = 15_000;

/**
 * Opens a WebSocket to a Service through the API server's service proxy, authenticated as the
 * kubeconfig's user: the same access path and credentials as `kubectl`, no port-forward, no ingress.
 */
export async function openServiceProxySocket(
  target: ServiceProxyTarget,
  credentials: KubeCredentials = {},
): Promise<OpenedSocket> {
  const service = `${encodeURIComponent(target.service)}:${encodeURIComponent(String(target.port))}`;
  const path = `/api/v1/namespaces/${encodeURIComponent(target.namespace)}/services/${service}/proxy/${target.path.replace(/^\//, '')}`;
  return openApiServerSocket(
    path,
    credentials,
    `service ${target.namespace}/${target.service}:${target.port}`,
  );
}

/**
 * The plugin's session through seco's aggregated API: the API server authenticates the kubeconfig's
 * user, authorizes `get sessions.seco.dev`, and forwards the upgrade to the aggregator with the user's
 * identity in its front-proxy headers; the user's credentials stop at the API server.
 */
export function openAggregatedApiSocket(credentials: KubeCredentials = {}): Promise<OpenedSocket> {
  return openApiServerSocket(SESSION_PATH, credentials, `the seco.dev API`);
}

async function openApiServerSocket(
  path: string,
  credentials: KubeCredentials,
  what: string,
): Promise<OpenedSocket> {
  const kc = loadKubeConfig(credentials);
  const server = new URL(kc.getCurrentCluster()!.server);
  const url = new URL(`${server.pathname.replace(/\/$/, '')}${path}`, server);
  url.protocol = server.protocol === 'https:' ? 'wss:' : 'ws:';
  // applyToHTTPSOptions fills in what https.request (and so ws) needs: Authorization, ca, cert/key,
  // rejectUnauthorized for insecure-skip-tls-verify, servername for tls-server-name.
  const options: ClientOptions = { headers: {} };
  await kc.applyToHTTPSOptions(options);
  const describe = `${what} through ${kc.getCurrentContext()} (${server.origin})`;
  return { socket: await dial(url.toString(), options, describe), describe };
}

export interface DirectSocketOptions {
  /** Sent as `Authorization: Bearer` (and returned for the `hello` message). */
  token?: string;
  /** PEM CA to trust for wss:// (otherwise the system's). */
  ca?: string | Buffer;
}

/** Opens a WebSocket straight to an aggregator URL (`--aggregator-url ws://…|wss://…`). */
export async function openDirectSocket(
  url: string,
  options: DirectSocketOptions = {},
): Promise<OpenedSocket> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'ws:' && parsed.protocol !== 'wss:') {
    throw new Error(`aggregator URL ${url} must start with ws:// or wss://`);
  }
  const socketOptions: ClientOptions = {
    headers: options.token ? { Authorization: `Bearer ${options.token}` } : {},
    ...(options.ca ? { ca: options.ca } : {}),
  };
  const describe = `aggregator ${parsed.origin}`;
  return { socket: await dial(url, socketOptions, describe), token: options.token, describe };
}

function dial(url: string, options: ClientOptions, describe: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, {
      ...options,
      maxPayload: MAX_WS_MESSAGE_BYTES,
      handshakeTimeout: HANDSHAKE_TIMEOUT_MS,
    });
    const fail = (error: Error) => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.terminate();
      reject(error);
    };
    socket.once('open', () => {
      socket.removeAllListeners('unexpected-response');
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e) => fail(new Error(`cannot reach ${describe}: ${e.message}`)));
    socket.once('unexpected-response', (_req, res) => {
      void refusal(res).then((why) => fail(new Error(`cannot reach ${describe}: ${why}`)));
    });
  });
}

/** The API server answers a refused upgrade with a Status object: its message says why. */
async function refusal(res: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > 64 * 1024) break;
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  let message = text.slice(0, 500);
  try {
    const status = JSON.parse(text) as { message?: unknown };
    if (typeof status.message === 'string') message = status.message;
  } catch {
    // not a Status object: a backend's own answer, shown as it came
  }
  return `HTTP ${res.statusCode}${message ? `: ${message}` : ''}`;
}
