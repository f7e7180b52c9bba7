import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/** What the test registry saw, so tests can assert the client's side of the protocol. */
export interface Seen {
  accept: string[];
  tokenRequests: Array<{ method: string; query: string; body: string; authorization?: string }>;
  storageAuthorization: Array<string | undefined>;
}

export interface TestRegistry {
  host: string;
  seen: Seen;
  /** Stores a blob and returns its digest. */
  put(bytes: Buffer, mediaType?: string, tag?: string): string;
  /** Serves different bytes for a digest (a tampering registry). */
  tamper(digest: string, bytes: Buffer): void;
  stop(): Promise<void>;
}

export type AuthMode = 'none' | 'basic' | 'bearer' | 'refresh';

const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

/**
 * A small distribution-API server for the registry client's unit tests: manifests by tag or digest,
 * blobs redirected (307) to another origin as S3-backed registries do, and the auth challenges —
 * Basic, Bearer with Basic at the realm, and Bearer via the OAuth2 refresh-token grant.
 */
export async function startTestRegistry(auth: AuthMode, user = 'u', password = 'p'): Promise<TestRegistry> {
  const blobs = new Map<string, { bytes: Buffer; type: string }>();
  const tags = new Map<string, string>();
  const seen: Seen = { accept: [], tokenRequests: [], storageAuthorization: [] };
  const basic = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  let port = 0;
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/token') return token(req, res, url);
    if (url.pathname.startsWith('/storage/')) {
      seen.storageAuthorization.push(req.headers.authorization);
      const blob = blobs.get(url.pathname.slice('/storage/'.length));
      return blob ? res.writeHead(200).end(blob.bytes) : res.writeHead(404).end();
    }
    if (!authorized(req)) return challenge(res, url);
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/(.+)$/.exec(url.pathname);
    if (!m) return res.writeHead(200).end('{}');
    const [, , kind, ref] = m as unknown as [string, string, string, string];
    const digest = tags.get(ref) ?? ref;
    const blob = blobs.get(digest);
    if (!blob) {
      res.writeHead(404, { 'content-type': 'application/json' });
      return res.end(
        JSON.stringify({
          errors: [{ code: kind === 'blobs' ? 'BLOB_UNKNOWN' : 'MANIFEST_UNKNOWN', message: 'unknown' }],
        }),
      );
    }
    if (kind === 'manifests') {
      seen.accept.push(req.headers.accept ?? '');
      return res
        .writeHead(200, { 'content-type': blob.type, 'docker-content-digest': digest })
        .end(blob.bytes);
    }
    res.writeHead(307, { location: `http://localhost:${port}/storage/${digest}` }).end();
  };
  const authorized = (req: IncomingMessage) =>
    auth === 'none' || req.headers.authorization === (auth === 'basic' ? basic : 'Bearer good-token');
  const challenge = (res: ServerResponse, url: URL) => {
    const repo = /^\/v2\/(.+)\/(manifests|blobs)\//.exec(url.pathname)?.[1] ?? '';
    const header =
      auth === 'basic'
        ? 'Basic realm="test"'
        : `Bearer realm="http://127.0.0.1:${port}/token",service="test-registry",scope="repository:${repo}:pull"`;
    res.writeHead(401, { 'www-authenticate': header }).end();
  };
  const token = async (req: IncomingMessage, res: ServerResponse, url: URL) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    seen.tokenRequests.push({
      method: req.method ?? '',
      query: url.search,
      body,
      ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
    });
    const form = new URLSearchParams(body);
    const ok =
      auth === 'refresh'
        ? req.method === 'POST' &&
          form.get('grant_type') === 'refresh_token' &&
          form.get('refresh_token') === 'refresh-secret'
        : req.headers.authorization === basic;
    if (!ok) return res.writeHead(401).end();
    const answer = auth === 'refresh' ? { access_token: 'good-token' } : { token: 'good-token' };
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer));
  };
  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
  return {
    host: `127.0.0.1:${port}`,
    seen,
    put(bytes, type = 'application/octet-stream', tag) {
      const digest = sha(bytes);
      blobs.set(digest, { bytes, type });
      if (tag) tags.set(tag, digest);
      return digest;
    },
    tamper(digest, bytes) {
      const blob = blobs.get(digest);
      if (blob) blobs.set(digest, { ...blob, bytes });
    },
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
