import { type Credentials, entryCredentials } from './source/docker-config.js';
import { DOCKER_HUB, type ImageReference } from './source/reference.js';

/** The fields of a Kubernetes Secret (core/v1) a pull secret is read from. */
interface PullSecretObject {
  metadata?: { name?: string; namespace?: string };
  type?: string;
  /** Base64 values, as the API serves them. */
  data?: Record<string, unknown>;
  /** Plain values, as a manifest on disk may hold them (the API server folds them into `data`). */
  stringData?: Record<string, unknown>;
}

/** One registry key of a pull secret, the way the kubelet's keyring stores it: host (may glob) + path. */
export interface KeyringEntry {
  /** `host[:port][/path]`, scheme and `/v1/`/`/v2/` removed (kubelet credentialprovider/keyring.go Add). */
  key: string;
  credentials: Credentials;
  /** `namespace/name` of the Secret it came from, for messages. */
  secret: string;
}

const DOCKER_CONFIG_JSON = 'kubernetes.io/dockerconfigjson';
const DOCKER_CFG = 'kubernetes.io/dockercfg';
// The API server refuses Secrets over 1 MiB (core/v1 validation, MaxSecretSize).
const MAX_SECRET_BYTES = 1024 * 1024;
const MAX_ENTRIES = 1000;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

export class PullSecretError extends Error {
  constructor(secret: string, why: string) {
    super(`pull secret ${secret}: ${why}`);
    this.name = 'PullSecretError';
  }
}

const nameOf = (s: PullSecretObject | null | undefined) =>
  `${s?.metadata?.namespace ?? 'default'}/${s?.metadata?.name ?? '(unnamed)'}`;

/** The secret's value for `key`: stringData as written, else data decoded from strict base64. */
function secretValue(secret: PullSecretObject, key: string, name: string): string {
  const plain = secret.stringData?.[key];
  if (typeof plain === 'string') return plain;
  const encoded = secret.data?.[key];
  if (encoded === undefined || encoded === null || encoded === '')
    throw new PullSecretError(name, `type ${secret.type} but no data.${key}`);
  if (typeof encoded !== 'string') throw new PullSecretError(name, `data.${key} is not a string`);
  if (encoded.length > (MAX_SECRET_BYTES * 4) / 3 + 4)
    throw new PullSecretError(name, `data.${key} is larger than a Secret can be (1 MiB)`);
  const compact = encoded.replace(/\s+/g, '');
  if (compact.length % 4 !== 0 || !BASE64.test(compact))
    throw new PullSecretError(name, `data.${key} is not valid base64`);
  return Buffer.from(compact, 'base64').toString('utf8');
}

/** `auth` must decode to `user:password` (kubelet decodeDockerConfigFieldAuth fails the secret otherwise). */
function checkAuthField(entry: Record<string, unknown>, registry: string, name: string): void {
  if (entry.auth === undefined || entry.auth === '') return;
  const bad = () =>
    new PullSecretError(name, `auths[${JSON.stringify(registry)}].auth is not base64 of user:password`);
  if (typeof entry.auth !== 'string' || entry.auth.length % 4 !== 0 || !BASE64.test(entry.auth)) throw bad();
  if (!Buffer.from(entry.auth, 'base64').toString('utf8').includes(':')) throw bad();
}

/** `host[:port][/path]` from an auths key, as kubelet's keyring Add normalises it; undefined if no URL. */
function normaliseKey(key: string): string | undefined {
  let url: URL;
  try {
    url = new URL(/^https?:\/\//.test(key) ? key : `https://${key}`);
  } catch {
    return undefined;
  }
  let path = url.pathname;
  if (path.startsWith('/v1/') || path.startsWith('/v2/')) path = path.slice(3);
  // URL lower-cases hosts and escapes `*`; kubelet keeps the glob, so take the host from the key text.
  const host = key
    .replace(/^https?:\/\//, '')
    .split('/')[0]!
    .toLowerCase();
  return path && path !== '/' ? `${host}${path}` : host;
}

/**
 * The registry entries of one pull secret (`kubernetes.io/dockerconfigjson`: a docker config.json with
 * `auths`; `kubernetes.io/dockercfg`: the legacy ~/.dockercfg, the same entries without `auths`).
 * Anything malformed is a PullSecretError naming the secret — the kubelet also fails a pod's pulls on
 * an unparsable pull secret (credentialprovider/secrets MakeDockerKeyring) rather than pull anonymously.
 */
export function readPullSecret(secret: unknown): KeyringEntry[] {
  if (typeof secret !== 'object' || secret === null || Array.isArray(secret))
    throw new PullSecretError('(not an object)', 'a Secret must be an object');
  const s = secret as PullSecretObject;
  const name = nameOf(s);
  // The API server defaults a Secret with no type to Opaque.
  const key = s.type === DOCKER_CONFIG_JSON ? '.dockerconfigjson' : s.type === DOCKER_CFG ? '.dockercfg' : '';
  if (!key)
    throw new PullSecretError(
      name,
      `type ${JSON.stringify(s.type ?? 'Opaque')} is not ${DOCKER_CONFIG_JSON} or ${DOCKER_CFG}`,
    );
  const text = secretValue(s, key, name);
  if (Buffer.byteLength(text) > MAX_SECRET_BYTES)
    throw new PullSecretError(name, `${key} is larger than a Secret can be (1 MiB)`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new PullSecretError(name, `${key} is not valid JSON (${(error as Error).message})`);
  }
  const auths = key === '.dockerconfigjson' ? (parsed as { auths?: unknown } | null)?.auths : parsed;
  if (typeof auths !== 'object' || auths === null || Array.isArray(auths))
    throw new PullSecretError(
      name,
      key === '.dockercfg' ? '.dockercfg is not a JSON object' : 'no "auths" object',
    );
  const entries = Object.entries(auths as Record<string, unknown>);
  if (entries.length > MAX_ENTRIES) throw new PullSecretError(name, `more than ${MAX_ENTRIES} registries`);
  return entries.flatMap(([registry, value]) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      throw new PullSecretError(name, `auths[${JSON.stringify(registry)}] is not an object`);
    checkAuthField(value as Record<string, unknown>, registry, name);
    const normalised = normaliseKey(registry);
    if (normalised === undefined)
      throw new PullSecretError(name, `registry key ${JSON.stringify(registry)} is not a host or URL`);
    const credentials = entryCredentials(value);
    return credentials ? [{ key: normalised, credentials, secret: name }] : [];
  });
}

/** Go's filepath.Match for one host label, `*` and `?` only (labels hold no `/`). */
function globMatch(glob: string, text: string): boolean {
  const pattern = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${pattern}$`).test(text);
}

/** kubelet URLsMatch: same port, same number of host labels each glob-matching, then a path prefix. */
function keyMatches(key: string, target: string): boolean {
  const split = (s: string) => {
    const slash = s.indexOf('/');
    const hostPort = slash < 0 ? s : s.slice(0, slash);
    const colon = hostPort.lastIndexOf(':');
    return {
      labels: (colon < 0 ? hostPort : hostPort.slice(0, colon)).split('.'),
      port: colon < 0 ? '' : hostPort.slice(colon + 1),
      path: slash < 0 ? '' : s.slice(slash),
    };
  };
  const k = split(key);
  const t = split(target);
  return (
    k.port === t.port &&
    k.labels.length === t.labels.length &&
    k.labels.every((label, i) => globMatch(label, t.labels[i]!)) &&
    t.path.startsWith(k.path)
  );
}

/**
 * Credentials for an image from a pod's pull secrets, in the order the kubelet would try them
 * (credentialprovider/keyring.go Lookup): every matching key, most specific first (keys reverse-sorted,
 * so `quay.io/team` before `quay.io`); Docker Hub images also take `index.docker.io` credentials.
 * Secrets of other types are skipped, as the kubelet skips them; malformed pull secrets throw.
 */
export function pullSecretCredentials(secrets: readonly unknown[], image: ImageReference): Credentials[] {
  const isPullSecret = (s: unknown) => {
    const type = (s as PullSecretObject | null)?.type;
    return type === DOCKER_CONFIG_JSON || type === DOCKER_CFG;
  };
  return keyringCredentials(secrets.filter(isPullSecret).flatMap(readPullSecret), image);
}

/** The credentials of already-read keyring entries that apply to `image`, in kubelet keyring order. */
export function keyringCredentials(entries: readonly KeyringEntry[], image: ImageReference): Credentials[] {
  const keys = [...new Set(entries.map((e) => e.key))].sort().reverse();
  const target = `${image.registry}/${image.repository}`;
  const matched = keys.filter((k) => keyMatches(k, target));
  if (matched.length === 0 && image.registry === DOCKER_HUB) matched.push('index.docker.io');
  return matched.flatMap((k) => entries.filter((e) => e.key === k).map((e) => e.credentials));
}
