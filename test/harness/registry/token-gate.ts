import { createServer, type Server } from 'node:http';
import { forward } from './forward.js';
import { freePort } from './free-port.js';

export interface TokenGate {
  host: string;
  /** Scopes the token endpoint was asked for. */
  scopes: string[];
  stop(): Promise<void>;
}

/**
 * A Bearer-token front for a registry, as Docker Hub and most cloud registries work: /v2/ requests
 * without the token get a 401 with `WWW-Authenticate: Bearer realm=…,service=…,scope=…`; the realm
 * (/token) hands out the token for the right Basic credentials; requests with it are proxied to the
 * real registry behind.
 */
export async function startTokenGate(
  upstream: string,
  creds: { username: string; password: string },
): Promise<TokenGate> {
  const port = await freePort();
  const token = 'seco-test-token';
  const scopes: string[] = [];
  const expectedBasic = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (url.pathname === '/token') {
      scopes.push(url.searchParams.get('scope') ?? '');
      if (req.headers.authorization !== expectedBasic) {
        res.writeHead(401).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token }));
      return;
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      const repo = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1] ?? 'catalog';
      res
        .writeHead(401, {
          'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="seco-test",scope="repository:${repo}:pull"`,
        })
        .end();
      return;
    }
    forward(req, res, upstream, { accept: req.headers.accept ?? '*/*' });
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return { host: `127.0.0.1:${port}`, scopes, stop: () => new Promise((r) => server.close(() => r())) };
}
