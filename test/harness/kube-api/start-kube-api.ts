import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AggregationLayer } from './aggregation.js';
import { type AccessRule, ADMIN, Authority, DEFAULT_TOKEN, type KubeUser } from './auth.js';
import { writeKubeconfig } from './kubeconfig.js';
import { ServiceProxy } from './proxy.js';
import { findType } from './resources.js';
import { KubeApiRouter } from './router.js';
import { type KubeObject, KubeStore } from './store.js';
import { servingCert } from './tls-cert.js';
import { WatchHub } from './watch.js';

export type { AccessRule, KubeUser } from './auth.js';
export type { KubeObject } from './store.js';

export interface KubeApiOptions {
  /** Objects stored before the server answers; namespaces they name are created when missing. */
  seed?: KubeObject[];
  /** Extra bearer tokens and the users they authenticate as. */
  tokens?: Record<string, KubeUser>;
  /** Authorization rules, first match wins; system:masters (the default admin) bypasses them. */
  rules?: AccessRule[];
  /** What requests no rule matches get: 'allow' (default) or 'deny'. */
  fallback?: 'allow' | 'deny';
  /** BOOKMARK interval for watches that allow bookmarks (default 5 s). */
  bookmarkIntervalMs?: number;
  /**
   * Serve https with a self-signed certificate (default true). kubectl needs it: it never sends a
   * token over plain http. `tls: false` suits Node clients that only speak http.
   */
  tls?: boolean;
}

export interface RunningKubeApi {
  /** https://127.0.0.1:<port> (http:// with `tls: false`). */
  url: string;
  port: number;
  /** The self-signed serving certificate (PEM) to trust as a CA, undefined with `tls: false`. */
  caCert?: string;
  /** The admin token (user kubernetes-admin, group system:masters). */
  token: string;
  store: KubeStore;
  authority: Authority;
  /** The aggregation layer: its requestheader CA and front-proxy client certificate (PEM). */
  aggregation: AggregationLayer;
  /** Path of a kubeconfig for `username` (a user given a token; default the admin). */
  kubeconfigPath(username?: string): string;
  addToken(token: string, user: KubeUser): void;
  /** Where `.../services/<name>:<port>/proxy/...` goes: an http:// base URL the test serves. */
  registerServiceTarget(namespace: string, service: string, port: number | string, url: string): void;
  stop(): Promise<void>;
}

const BUILT_IN_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

function seedStore(store: KubeStore, seed: KubeObject[]): void {
  const namespaces = findType('', 'v1', 'namespaces')!;
  const wanted = new Set(BUILT_IN_NAMESPACES);
  for (const object of seed)
    if (typeof object.metadata?.namespace === 'string') wanted.add(object.metadata.namespace);
  for (const name of wanted) {
    if (!seed.some((o) => o.kind === 'Namespace' && o.metadata?.name === name)) {
      store.create(namespaces, { metadata: { name }, status: { phase: 'Active' } });
    }
  }
  for (const object of seed) store.put(object);
}

/** Starts the Kubernetes API emulation on a free 127.0.0.1 port. */
export async function startKubeApi(options: KubeApiOptions = {}): Promise<RunningKubeApi> {
  const store = new KubeStore();
  seedStore(store, options.seed ?? []);
  const authority = new Authority(options.rules ?? [], options.fallback ?? 'allow');
  const tokensByUser = new Map<string, string>([[ADMIN.username, DEFAULT_TOKEN]]);
  const addToken = (token: string, user: KubeUser) => {
    authority.addToken(token, user);
    tokensByUser.set(user.username, token);
  };
  for (const [token, user] of Object.entries(options.tokens ?? {})) addToken(token, user);
  const aggregation = new AggregationLayer(store);
  store.put(aggregation.authenticationConfigMap(undefined));
  const proxy = new ServiceProxy(store);
  const watches = new WatchHub(store, { bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000 });
  let address = '';
  const router = new KubeApiRouter({
    store,
    authority,
    proxy,
    aggregation,
    watches,
    serverAddress: () => address,
  });
  const cert = options.tls === false ? undefined : await servingCert();
  const handler = (request: IncomingMessage, response: ServerResponse) =>
    void router.handle(request, response);
  const server = cert
    ? createHttpsServer({ key: cert.key, cert: cert.cert }, handler)
    : createHttpServer(handler);
  server.on('upgrade', (request, socket, head) => router.handleUpgrade(request, socket, head));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  address = `127.0.0.1:${port}`;
  const url = `${cert ? 'https' : 'http'}://${address}`;
  const dir = mkdtempSync(join(tmpdir(), 'seco-kube-api-'));
  return {
    url,
    port,
    token: DEFAULT_TOKEN,
    caCert: cert?.cert,
    store,
    authority,
    aggregation,
    kubeconfigPath: (username = ADMIN.username) => {
      const token = tokensByUser.get(username);
      if (!token) throw new Error(`the harness has no token for user ${JSON.stringify(username)}`);
      return writeKubeconfig(dir, url, username, token);
    },
    addToken,
    registerServiceTarget: (namespace, service, servicePort, target) =>
      proxy.register(namespace, service, servicePort, target),
    stop: async () => {
      watches.closeAll();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
