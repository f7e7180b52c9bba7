/** An image reference as the distribution API needs it: registry host, repository, tag and/or digest. */
export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export const DOCKER_HUB = 'docker.io';
const HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
// distribution/reference grammar (reference.go): path components, tags, digests.
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^(sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128})$/;
const HOST =
  /^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\[[0-9a-fA-F:.]+\])(?::\d{1,5})?$/;
const MAX_NAME = 255;

/**
 * Parses `[host[:port]/]path[:tag][@digest]` with Docker's defaults: the first part is a host when it
 * has a `.` or `:` or is `localhost`; otherwise the image is on Docker Hub, where a one-part name lives
 * under `library/` (`alpine` → `docker.io/library/alpine:latest`). No tag and no digest means `latest`.
 */
export function parseReference(text: string): ImageReference {
  const bad = (what: string) => new Error(`invalid image reference ${JSON.stringify(text)}: ${what}`);
  if (typeof text !== 'string' || text === '' || text.length > 4096) throw bad('empty or too long');
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const named = at >= 0 ? text.slice(0, at) : text;
  if (digest !== undefined && !DIGEST.test(digest))
    throw bad('the digest is not sha256:<64 hex> or sha512:<128 hex>');
  const slash = named.indexOf('/');
  const first = slash >= 0 ? named.slice(0, slash) : '';
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (hasHost && !HOST.test(first)) throw bad(`bad registry host ${JSON.stringify(first)}`);
  const registry = hasHost ? (HUB_ALIASES.has(first) ? DOCKER_HUB : first) : DOCKER_HUB;
  let path = hasHost ? named.slice(slash + 1) : named;
  const colon = path.lastIndexOf(':');
  const tag = colon >= 0 ? path.slice(colon + 1) : undefined;
  if (colon >= 0) path = path.slice(0, colon);
  if (tag !== undefined && !TAG.test(tag)) throw bad('bad tag');
  if (path !== path.toLowerCase()) throw bad('repository names must be lowercase');
  if (!path.split('/').every((c) => COMPONENT.test(c))) throw bad('bad repository name');
  if (registry === DOCKER_HUB && !path.includes('/')) path = `library/${path}`;
  if (path.length > MAX_NAME) throw bad(`repository name longer than ${MAX_NAME}`);
  return {
    registry,
    repository: path,
    ...(tag !== undefined || digest === undefined ? { tag: tag ?? 'latest' } : {}),
    ...(digest !== undefined ? { digest } : {}),
  };
}

/** The canonical text of a reference: `docker.io/library/alpine:3.20@sha256:…`. */
export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** Docker Hub's API lives at registry-1.docker.io; every other registry at its own host. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
