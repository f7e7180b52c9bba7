import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebSocket, WebSocketServer } from 'ws';
import { type RunningKubeApi, startKubeApi } from '../../harness/kube-api/start-kube-api.js';

interface Seen {
  url?: string;
  headers?: IncomingHttpHeaders;
}

/** GET over https trusting the harness's self-signed certificate. */
function get(api: RunningKubeApi, path: string, token?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers = token ? { Authorization: `Bearer ${token}` } : {};
    const req = httpsRequest(`${api.url}${path}`, { ca: api.caCert, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => {
        body += c.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the API server service proxy', () => {
  let api: RunningKubeApi;
  let backend: Server;
  let sockets: WebSocketServer;
  const seen: Seen = {};

  beforeAll(async () => {
    backend = createServer((req, res) => {
      seen.url = req.url;
      seen.headers = req.headers;
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end(`hello from ${req.url}`);
    });
    sockets = new WebSocketServer({ server: backend });
    sockets.on('connection', (socket, req) => {
      socket.send(`welcome ${req.url}`);
      socket.on('message', (data) => socket.send(`echo ${data.toString()}`));
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    api = await startKubeApi({
      seed: [
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'seco-aggregator', namespace: 'seco' },
          spec: { ports: [{ name: 'http', port: 8080 }] },
        },
      ],
    });
    api.registerServiceTarget(
      'seco',
      'seco-aggregator',
      8080,
      `http://127.0.0.1:${(backend.address() as AddressInfo).port}`,
    );
  });
  afterAll(async () => {
    await api.stop();
    sockets.close();
    await new Promise((r) => backend.close(r));
  });

  it('forwards HTTP to the registered target without the caller credentials', async () => {
    const reply = await get(
      api,
      '/api/v1/namespaces/seco/services/seco-aggregator:http/proxy/healthz?x=1',
      api.token,
    );
    expect(reply).toEqual({ status: 200, body: 'hello from /healthz?x=1' });
    expect(seen.url).toBe('/healthz?x=1');
    expect(seen.headers?.authorization).toBeUndefined();
    expect(seen.headers?.['x-forwarded-for']).toBe('127.0.0.1');
  });

  it('accepts the port by number and the scheme:name:port form', async () => {
    const byNumber = await get(
      api,
      '/api/v1/namespaces/seco/services/http:seco-aggregator:8080/proxy/',
      api.token,
    );
    expect(byNumber.body).toBe('hello from /');
  });

  it('answers 503 for a service without a target and 404 for no service', async () => {
    api.store.put({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'idle', namespace: 'seco' },
      spec: {},
    });
    const idle = await get(api, '/api/v1/namespaces/seco/services/idle/proxy/', api.token);
    expect(idle.status).toBe(503);
    expect(JSON.parse(idle.body)).toMatchObject({
      reason: 'ServiceUnavailable',
      message: 'no endpoints available for service "idle"',
    });
    const missing = await get(api, '/api/v1/namespaces/seco/services/ghost/proxy/', api.token);
    expect(JSON.parse(missing.body)).toMatchObject({ code: 404, message: 'services "ghost" not found' });
  });

  it('upgrades WebSocket connections through the proxy path', async () => {
    const url = `${api.url.replace('https', 'wss')}/api/v1/namespaces/seco/services/seco-aggregator:8080/proxy/ws?scan=1`;
    const socket = new WebSocket(url, { ca: api.caCert, headers: { Authorization: `Bearer ${api.token}` } });
    const messages: string[] = [];
    await new Promise<void>((resolve, reject) => {
      socket.on('message', (data) => {
        messages.push(data.toString());
        if (messages.length === 1) socket.send('ping');
        if (messages.length === 2) resolve();
      });
      socket.on('error', reject);
    });
    socket.close();
    expect(messages).toEqual(['welcome /ws?scan=1', 'echo ping']);
  });

  it('authenticates WebSocket clients by the bearer subprotocol and refuses unknown tokens', async () => {
    const url = `${api.url.replace('https', 'wss')}/api/v1/namespaces/seco/services/seco-aggregator:8080/proxy/ws`;
    const protocol = `base64url.bearer.authorization.k8s.io.${Buffer.from(api.token).toString('base64url')}`;
    const ok = new WebSocket(url, [protocol, 'seco.v1'], { ca: api.caCert });
    const first = await new Promise<string>((resolve, reject) => {
      ok.on('message', (data) => resolve(data.toString()));
      ok.on('error', reject);
    });
    expect(first).toBe('welcome /ws');
    expect(ok.protocol).toBe('seco.v1');
    ok.close();
    const refused = new WebSocket(url, { ca: api.caCert, headers: { Authorization: 'Bearer wrong' } });
    const status = await new Promise<number>((resolve) =>
      refused.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    expect(status).toBe(401);
  });
});
