import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_HUB } from './reference.js';

/** What a registry login gives: a user and password, or an OAuth2 refresh token. */
export interface Credentials {
  username?: string;
  password?: string;
  /** docker config `identitytoken`: an OAuth2 refresh token, exchanged at the token endpoint. */
  identityToken?: string;
}

const HUB_KEYS = ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];

/** The `auths` keys a host may be stored under: bare, with a scheme, or with the legacy `/v1/` path. */
function keysFor(registry: string): (key: string) => boolean {
  const hosts =
    registry === DOCKER_HUB
      ? HUB_KEYS.map((k) => k.replace(/^https?:\/\//, '').replace(/\/.*$/, ''))
      : [registry];
  return (key) => hosts.includes(key.replace(/^https?:\/\//, '').replace(/\/.*$/, ''));
}

const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Credentials for a registry host from docker config.json contents (the same format a
 * `kubernetes.io/dockerconfigjson` pull secret carries): the first `auths` entry for the host.
 */
export function credentialsFrom(config: unknown, registry: string): Credentials | undefined {
  const auths = (config as { auths?: unknown } | null)?.auths;
  if (typeof auths !== 'object' || auths === null) return undefined;
  const matches = keysFor(registry);
  for (const [key, entry] of Object.entries(auths as Record<string, unknown>)) {
    const credentials = matches(key) ? entryCredentials(entry) : undefined;
    if (credentials) return credentials;
  }
  return undefined;
}

/**
 * One `auths` entry as credentials: `identitytoken`, then `username`/`password`, then `auth` (base64 of
 * `user:password`). Wrong types are ignored, never thrown on.
 */
export function entryCredentials(entry: unknown): Credentials | undefined {
  if (typeof entry !== 'object' || entry === null) return undefined;
  const e = entry as Record<string, unknown>;
  const identityToken = str(e.identitytoken);
  let username = str(e.username);
  let password = typeof e.password === 'string' ? e.password : undefined;
  const auth = str(e.auth);
  if (username === undefined && auth) {
    const decoded = Buffer.from(auth, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon > 0) [username, password] = [decoded.slice(0, colon), decoded.slice(colon + 1)];
  }
  if (identityToken) return { identityToken, ...(username ? { username } : {}) };
  if (username !== undefined) return { username, password: password ?? '' };
  return undefined;
}

/** Reads $DOCKER_CONFIG/config.json or ~/.docker/config.json; a missing or unreadable file means no credentials. */
export async function dockerConfigCredentials(
  registry: string,
  path?: string,
): Promise<Credentials | undefined> {
  const file = path ?? join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return undefined;
  }
  try {
    return credentialsFrom(JSON.parse(text), registry);
  } catch {
    return undefined; // a broken config must not stop an anonymous pull; an auth error will name the host
  }
}
