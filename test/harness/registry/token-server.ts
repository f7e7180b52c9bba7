import { execFileSync } from 'node:child_process';
import { createPrivateKey, randomUUID, sign, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { requireTool } from './required-tool.js';

export interface TokenServer {
  realm: string;
  service: string;
  issuer: string;
  /** The certificate the registry's `auth.token.rootcertbundle` trusts. */
  certPath: string;
  /** Every token request: its scope and whether it carried valid credentials. */
  requests: Array<{ scope: string; authenticated: boolean }>;
  stop(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** `repository:seco/app:pull,push` → the JWT `access` claim granting exactly that. */
function accessFor(scopes: string[]): Array<{ type: string; name: string; actions: string[] }> {
  return scopes.flatMap((scope) => {
    const m = /^([a-z]+):(.+):([a-z*,]+)$/.exec(scope);
    return m ? [{ type: m[1]!, name: m[2]!, actions: m[3]!.split(',') }] : [];
  });
}

/**
 * A real token server for docker-registry's `auth.token` (Docker "Token Authentication
 * Specification"): checks Basic credentials at the realm and issues ES256 JWTs whose `x5c` header
 * carries a self-signed certificate made with openssl — the certificate the registry trusts.
 */
export async function startTokenServer(
  dir: string,
  creds: { username: string; password: string },
): Promise<TokenServer> {
  requireTool('openssl', 'openssl');
  const keyPath = join(dir, 'token.key');
  const certPath = join(dir, 'token.crt');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '2',
      '-subj',
      '/CN=seco-test-token-issuer',
      '-keyout',
      keyPath,
      '-out',
      certPath,
    ],
    { stdio: 'pipe' },
  );
  const key = createPrivateKey(readFileSync(keyPath));
  const x5c = new X509Certificate(readFileSync(certPath)).raw.toString('base64');
  const port = await freePort();
  const service = 'seco-test-registry';
  const issuer = 'seco-test-issuer';
  const requests: TokenServer['requests'] = [];
  const expected = `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}`;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const authenticated = req.headers.authorization === expected;
    const scopes = url.searchParams
      .getAll('scope')
      .flatMap((s) => s.split(' '))
      .filter(Boolean);
    requests.push({ scope: scopes.join(' '), authenticated });
    if (url.pathname !== '/token' || !authenticated) return res.writeHead(401).end();
    const now = Math.floor(Date.now() / 1000);
    const header = b64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', x5c: [x5c] }));
    const claims = b64url(
      JSON.stringify({
        iss: issuer,
        sub: creds.username,
        aud: service,
        exp: now + 300,
        nbf: now - 10,
        iat: now,
        jti: randomUUID(),
        access: accessFor(scopes),
      }),
    );
    const signature = sign('sha256', Buffer.from(`${header}.${claims}`), { key, dsaEncoding: 'ieee-p1363' });
    const token = `${header}.${claims}.${b64url(signature)}`;
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, expires_in: 300 }));
  };
  const server: Server = createServer(handle);
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    realm: `http://127.0.0.1:${port}/token`,
    service,
    issuer,
    certPath,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
