import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type WebSocket, WebSocketServer } from 'ws';
import { parse, stringify } from 'yaml';
import { loadKubeConfig } from '../../../../core/kube/load-kube-config.js';
import {
  kubeBearerToken,
  openDirectSocket,
  openServiceProxySocket,
} from '../../../../plugin/cluster/service-proxy-socket.js';
import { type RunningKubeApi, startKubeApi } from '../../../harness/kube-api/start-kube-api.js';

interface Seen {
  url?: string;
  headers?: IncomingHttpHeaders;
}

/** The first message the socket receives, as text. */
function next(socket: WebSocket): Promise<string> {
  return new Promise((resolve) => socket.once('message', (data) => resolve(String(data))));
}

const AGGREGATOR = { namespace: 'seco-system', service: 'seco-aggregator', port: 'http', path: '/v1/ws' };

let api: RunningKubeApi;
let backend: Server;
let backendUrl: string;
const seen: Seen = {};
const dir = tmpdir();

interface Kubeconfig {
  clusters: Array<{ name: string; cluster: Record<string, unknown> & { server: string } }>;
  users: Array<{ name: string; user: Record<string, unknown> }>;
  contexts: Array<{ name: string; context: Record<string, unknown> }>;
  'current-context': string;
}

/** Rewrites the harness kubeconfig: `edit` changes the parsed document. */
function kubeconfigWith(name: string, edit: (config: Kubeconfig) => void): string {
  const config = parse(readFileSync(api.kubeconfigPath(), 'utf8')) as Kubeconfig;
  edit(config);
  const path = join(dir, `seco-proxy-${process.pid}-${name}.yaml`);
  writeFileSync(path, stringify(config), { mode: 0o600 });
  return path;
}

beforeAll(async () => {
  backend = createServer((_req, res) => res.end('plain http'));
  const sockets = new WebSocketServer({ server: backend });
  sockets.on('connection', (socket, req) => {
    seen.url = req.url;
    seen.headers = req.headers;
    socket.on('message', (data) => socket.send(`echo ${String(data)}`));
  });
  await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
  backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  api = await startKubeApi({
    seed: [
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'seco-aggregator', namespace: 'seco-system' },
        spec: { ports: [{ name: 'http', port: 8080 }] },
      },
      {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'no-endpoints', namespace: 'seco-system' },
        spec: { ports: [{ name: 'http', port: 8080 }] },
      },
    ],
    tokens: { 'mallory-token': { username: 'mallory', groups: [] } },
    rules: [{ effect: 'deny', users: ['mallory'], resources: ['services/proxy'], reason: 'not yours' }],
  });
  api.registerServiceTarget('seco-system', 'seco-aggregator', 8080, backendUrl);
});
afterAll(async () => {
  await api?.stop();
  backend.closeAllConnections();
  await new Promise((r) => backend.close(r));
});

describe('openServiceProxySocket', () => {
  it('reaches the Service through the API server as the kubeconfig user, and hands out no token', async () => {
    const opened = await openServiceProxySocket(AGGREGATOR, { kubeconfig: api.kubeconfigPath() });
    opened.socket.send('hi');
    expect(await next(opened.socket)).toBe('echo hi');
    opened.socket.close();
    expect(seen.url).toBe('/v1/ws');
    // As kube-apiserver does, the proxy drops the caller's credentials, and nothing returns them for `hello`.
    expect(seen.headers?.authorization).toBeUndefined();
    expect(opened.token).toBeUndefined();
    expect(opened.describe).toBe(
      `service seco-system/seco-aggregator:http through seco-harness (${api.url})`,
    );
  });

  it('uses --context and verifies the server against the kubeconfig CA', async () => {
    const path = kubeconfigWith('ca', (config) => {
      const good = config.clusters[0]!;
      config.clusters = [
        good,
        {
          name: 'verified',
          cluster: {
            server: good.cluster.server,
            'certificate-authority-data': Buffer.from(api.caCert!).toString('base64'),
          },
        },
        { name: 'elsewhere', cluster: { server: 'https://127.0.0.1:1' } },
      ];
      config.contexts.push(
        { name: 'verified', context: { cluster: 'verified', user: config.users[0]!.name } },
        { name: 'broken', context: { cluster: 'elsewhere', user: config.users[0]!.name } },
      );
      config['current-context'] = 'broken';
    });
    const opened = await openServiceProxySocket(AGGREGATOR, { kubeconfig: path, context: 'verified' });
    opened.socket.send('ca');
    expect(await next(opened.socket)).toBe('echo ca');
    opened.socket.close();
    await expect(openServiceProxySocket(AGGREGATOR, { kubeconfig: path })).rejects.toThrow(
      /^cannot reach service seco-system\/seco-aggregator:http through broken \(https:\/\/127.0.0.1:1\): .*ECONNREFUSED/,
    );
  });

  it('refuses a server certificate the kubeconfig does not trust', async () => {
    const path = kubeconfigWith('untrusted', (config) => {
      delete config.clusters[0]!.cluster['insecure-skip-tls-verify'];
    });
    await expect(openServiceProxySocket(AGGREGATOR, { kubeconfig: path })).rejects.toThrow(
      /self-signed certificate/,
    );
  });

  it('says why the API server refused: forbidden, unauthorized, no endpoints', async () => {
    await expect(
      openServiceProxySocket(AGGREGATOR, { kubeconfig: api.kubeconfigPath('mallory') }),
    ).rejects.toThrow(
      /^cannot reach service seco-system\/seco-aggregator:http .*: HTTP 403: .*forbidden: User "mallory"/,
    );
    const bad = kubeconfigWith('bad-token', (config) => {
      config.users[0]!.user.token = 'wrong';
    });
    await expect(openServiceProxySocket(AGGREGATOR, { kubeconfig: bad })).rejects.toThrow(
      /: HTTP 401: Unauthorized/,
    );
    await expect(
      openServiceProxySocket(
        { ...AGGREGATOR, service: 'no-endpoints' },
        { kubeconfig: api.kubeconfigPath() },
      ),
    ).rejects.toThrow(/: HTTP 503: no endpoints available for service/);
  });
});

describe('kubeBearerToken', () => {
  it('returns the token a kubeconfig sends, and nothing for client-certificate users', async () => {
    expect(await kubeBearerToken(loadKubeConfig({ kubeconfig: api.kubeconfigPath('mallory') }))).toBe(
      'mallory-token',
    );
    const certs = kubeconfigWith('certs', (config) => {
      config.users[0]!.user = {
        'client-certificate-data': Buffer.from('cert').toString('base64'),
        'client-key-data': Buffer.from('key').toString('base64'),
      };
    });
    expect(await kubeBearerToken(loadKubeConfig({ kubeconfig: certs }))).toBeUndefined();
  });
});

describe('openDirectSocket', () => {
  it('dials a ws:// URL with the bearer token in the Authorization header', async () => {
    const opened = await openDirectSocket(`${backendUrl.replace('http', 'ws')}/v1/ws`, {
      token: 'direct-token',
    });
    opened.socket.send('direct');
    expect(await next(opened.socket)).toBe('echo direct');
    opened.socket.close();
    expect(seen.headers?.authorization).toBe('Bearer direct-token');
    expect(opened.token).toBe('direct-token');
  });

  it('refuses URLs that are not WebSocket URLs', async () => {
    await expect(openDirectSocket('http://127.0.0.1:1/ws')).rejects.toThrow(
      'aggregator URL http://127.0.0.1:1/ws must start with ws:// or wss://',
    );
  });
});
