import { findType, type ResourceType } from './resources.js';
import { pathNotFound } from './status.js';

/**
 * Splits a request path the way k8s.io/apiserver's RequestInfoFactory does:
 * /api/v1/[namespaces/<ns>/]<resource>[/<name>[/<subresource>[/<rest>]]] and the same under
 * /apis/<group>/<version>. Everything else is a non-resource path (discovery, version, openapi).
 */
export interface ResourceRequest {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
  /** What follows `.../services/<name>/proxy`, with its leading slash; '' when nothing does. */
  proxyPath: string;
  /** Legacy `/api/v1/watch/...` paths. */
  legacyWatch: boolean;
}

const NAMESPACE_SUBRESOURCES = new Set(['status', 'finalize']);

function splitGroupVersion(
  segments: string[],
): { group: string; version: string; rest: string[] } | undefined {
  if (segments[0] === 'api' && segments.length >= 3)
    return { group: '', version: segments[1]!, rest: segments.slice(2) };
  if (segments[0] === 'apis' && segments.length >= 4) {
    return { group: segments[1]!, version: segments[2]!, rest: segments.slice(3) };
  }
  return undefined;
}

/** The resource request a path names, undefined for non-resource paths; 404 for unknown resources. */
export function resourceRequestOf(pathname: string): ResourceRequest | undefined {
  // Keep empty trailing segments out but preserve the proxied path exactly.
  const segments = pathname.split('/').slice(1);
  const gv = splitGroupVersion(segments);
  if (!gv) return undefined;
  let rest = gv.rest;
  const legacyWatch = rest[0] === 'watch';
  if (legacyWatch) rest = rest.slice(1);
  let namespace: string | undefined;
  const isNamespaceItself = rest.length === 2 || (rest.length === 3 && NAMESPACE_SUBRESOURCES.has(rest[2]!));
  if (rest[0] === 'namespaces' && rest.length >= 3 && !isNamespaceItself) {
    namespace = decodeURIComponent(rest[1]!);
    rest = rest.slice(2);
  }
  const type = findType(gv.group, gv.version, rest[0] ?? '');
  if (!type || (rest[1] === '' && rest.length === 2)) throw pathNotFound(pathname);
  const name = rest[1] === undefined ? undefined : decodeURIComponent(rest[1]);
  const subresource = rest[2];
  const proxyPath = subresource === 'proxy' ? `/${rest.slice(3).join('/')}` : '';
  if (subresource !== 'proxy' && rest.length > 3) throw pathNotFound(pathname);
  return { type, namespace, name, subresource, proxyPath: rest.length > 3 ? proxyPath : '', legacyWatch };
}
