import type { Credentials } from './docker-config.js';
import { readCapped } from './http-body.js';

/** A `WWW-Authenticate` challenge (RFC 7235 §4.1): scheme plus auth-params. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

const MAX_TOKEN_RESPONSE = 1024 * 1024;

export function parseChallenge(header: string | null | undefined): Challenge | undefined {
  if (!header) return undefined;
  const m = /^\s*([\w-]+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  for (const p of m[2]!.matchAll(/([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g))
    params[p[1]!.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  return { scheme: m[1]!.toLowerCase(), params };
}

export interface AuthOptions {
  registry: string;
  repository: string;
  credentials?: Credentials;
  timeoutMs: number;
}

const basicOf = (c: Credentials | undefined) =>
  c?.username !== undefined && c.identityToken === undefined
    ? `Basic ${Buffer.from(`${c.username}:${c.password ?? ''}`).toString('base64')}`
    : undefined;

/**
 * Answers a registry's 401 challenge with an `Authorization` value: Basic with the credentials, or a
 * Bearer token from the challenge's realm (Docker "Token Authentication Specification": GET
 * realm?service=&scope=, Basic credentials if any, anonymous otherwise; with an identity token, the
 * OAuth2 refresh-token grant POSTed to the realm, per "OAuth2 Token Authentication").
 */
export async function answerChallenge(header: string | null, options: AuthOptions): Promise<string> {
  const challenge = parseChallenge(header);
  const creds = options.credentials;
  if (challenge?.scheme === 'basic') {
    const basic = basicOf(creds);
    if (!basic)
      throw new Error(
        `${options.registry} requires credentials (none found in docker config or pull secrets)`,
      );
    return basic;
  }
  if (challenge?.scheme !== 'bearer' || !challenge.params.realm)
    throw new Error(`${options.registry}: unsupported authentication challenge ${JSON.stringify(header)}`);
  let realm: URL;
  try {
    realm = new URL(challenge.params.realm);
  } catch {
    throw new Error(
      `${options.registry}: token realm ${JSON.stringify(challenge.params.realm)} is not a URL`,
    );
  }
  if (realm.protocol !== 'https:' && realm.protocol !== 'http:')
    throw new Error(`${options.registry}: token realm must be http(s), not ${realm.protocol}`);
  const scope = challenge.params.scope ?? `repository:${options.repository}:pull`;
  const token = creds?.identityToken
    ? await refreshGrant(realm, challenge.params.service, scope, creds.identityToken, options.timeoutMs)
    : await tokenGet(realm, challenge.params.service, scope, basicOf(creds), options.timeoutMs);
  return `Bearer ${token}`;
}

async function tokenGet(
  realm: URL,
  service: string | undefined,
  scope: string,
  basic: string | undefined,
  timeoutMs: number,
): Promise<string> {
  const url = new URL(realm);
  if (service) url.searchParams.set('service', service);
  url.searchParams.set('scope', scope);
  const response = await fetch(url, {
    headers: basic ? { authorization: basic } : {},
    signal: AbortSignal.timeout(timeoutMs),
  });
  return tokenFrom(response, url);
}

async function refreshGrant(
  realm: URL,
  service: string | undefined,
  scope: string,
  refreshToken: string,
  timeoutMs: number,
): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: 'seco',
    scope,
  });
  if (service) form.set('service', service);
  const response = await fetch(realm, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    signal: AbortSignal.timeout(timeoutMs),
  });
  return tokenFrom(response, realm);
}

/** `token` or `access_token` from the endpoint's JSON answer; the endpoint is named in errors, never the token. */
async function tokenFrom(response: Response, url: URL): Promise<string> {
  const where = `token endpoint ${url.origin}${url.pathname}`;
  if (!response.ok) {
    await response.body?.cancel();
    throw new Error(
      `${where} answered ${response.status}${response.status === 401 ? ' (credentials rejected)' : ''}`,
    );
  }
  const text = (await readCapped(response, MAX_TOKEN_RESPONSE, `${where} answer`)).toString('utf8');
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${where} did not answer JSON`);
  }
  const { token, access_token } = (body ?? {}) as { token?: unknown; access_token?: unknown };
  const value =
    typeof token === 'string' && token ? token : typeof access_token === 'string' ? access_token : '';
  if (!value || /[\r\n]/.test(value)) throw new Error(`${where} returned no usable token`);
  return value;
}
