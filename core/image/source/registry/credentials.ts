import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';

export interface Credentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (docker config `identitytoken`), exchanged at the token endpoint. */
  identityToken?: string;
}

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
}

/** Credentials for a registry host from docker config.json contents (the format imagePullSecrets carry too). */
export function credentialsFrom(config: unknown, registry: string): Credentials | undefined {
  const auths = (config as DockerConfig | undefined)?.auths;
  if (!auths || typeof auths !== 'object') return undefined;
  const keys =
    registry === 'docker.io'
      ? ['docker.io', 'index.docker.io', 'https://index.docker.io/v1/', 'registry-1.docker.io']
      : [registry, `https://${registry}`, `http://${registry}`];
  for (const key of keys) {
    const entry = auths[key];
    if (!entry) continue;
    if (entry.identitytoken)
      return { identityToken: entry.identitytoken, ...(entry.username ? { username: entry.username } : {}) };
    if (entry.username !== undefined) return { username: entry.username, password: entry.password ?? '' };
    if (entry.auth) {
      const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
      const colon = decoded.indexOf(':');
      if (colon > 0) return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
    }
  }
  return undefined;
}

/** Reads $DOCKER_CONFIG/config.json or ~/.docker/config.json; a missing or broken file means no credentials. */
export async function dockerConfigCredentials(
  registry: string,
  path?: string,
): Promise<Credentials | undefined> {
  const file = path ?? join(process.env.DOCKER_CONFIG ?? join(homedir(), '.docker'), 'config.json');
  try {
    return credentialsFrom(JSON.parse(await readFile(file, 'utf8')), registry);
  } catch {
    return undefined;
  }
}
