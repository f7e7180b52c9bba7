/** An image reference as the distribution API needs it: registry host, repository, tag or digest. */
export interface ImageReference {
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';

/**
 * Parses `[host[:port]/]path[:tag][@sha256:…]` with Docker's defaults: no host means Docker Hub, and a
 * one-part Hub name lives under `library/`. The first part is a host when it has a `.` or `:`, or is
 * `localhost`.
 */
export function parseReference(text: string): ImageReference {
  const at = text.indexOf('@');
  const digest = at >= 0 ? text.slice(at + 1) : undefined;
  const named = at >= 0 ? text.slice(0, at) : text;
  if (digest !== undefined && !/^sha256:[0-9a-f]{64}$/.test(digest))
    throw new Error(`invalid digest in ${JSON.stringify(text)}`);
  const slash = named.indexOf('/');
  const first = slash >= 0 ? named.slice(0, slash) : '';
  const hasHost = slash >= 0 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const registry = hasHost ? first : DOCKER_HUB;
  let remainder = hasHost ? named.slice(slash + 1) : named;
  const colon = remainder.lastIndexOf(':');
  const tag = colon >= 0 ? remainder.slice(colon + 1) : undefined;
  if (colon >= 0) remainder = remainder.slice(0, colon);
  if (registry === DOCKER_HUB && !remainder.includes('/')) remainder = `library/${remainder}`;
  if (
    !/^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/.test(remainder)
  ) {
    throw new Error(`invalid repository name in ${JSON.stringify(text)}`);
  }
  if (tag !== undefined && !/^[\w][\w.-]{0,127}$/.test(tag))
    throw new Error(`invalid tag in ${JSON.stringify(text)}`);
  return {
    registry,
    repository: remainder,
    ...(tag || !digest ? { tag: tag ?? 'latest' } : {}),
    ...(digest ? { digest } : {}),
  };
}

/** Docker Hub's API lives at registry-1.docker.io; every other registry at its own host. */
export function apiHost(registry: string): string {
  return registry === DOCKER_HUB ? 'registry-1.docker.io' : registry;
}
