import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import { apiErrors } from './api-status.js';

/** The seco.dev resources (docs/api-access.md): scope, verbs served, and the kind of their objects. */
export const SECO_RESOURCES = {
  scans: {
    kind: 'Scan',
    namespaced: true,
    verbs: ['create', 'get', 'list', 'watch'],
    shortNames: ['secoscan'],
  },
  findings: {
    kind: 'Finding',
    namespaced: true,
    verbs: ['get', 'list', 'watch'],
    shortNames: ['secofinding'],
  },
  events: { kind: 'RuntimeEvent', namespaced: true, verbs: ['list', 'watch'], shortNames: [] },
  alerts: { kind: 'Alert', namespaced: false, verbs: ['create'], shortNames: [] },
  sessions: { kind: 'Session', namespaced: false, verbs: ['get'], shortNames: [] },
} as const;
export type SecoResource = keyof typeof SECO_RESOURCES;

/** A request to seco.dev/v1alpha1, split as kube-apiserver's RequestInfoFactory splits paths. */
export interface ApiRequest {
  resource: SecoResource;
  namespace?: string;
  name?: string;
  /** get, list, watch, create (the RBAC verb the request needs). */
  verb: string;
}

const PREFIX = ['', 'apis', SECO_API_GROUP, SECO_API_VERSION];
const NAME = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;

/** The request a path names; undefined for discovery paths; 404 for paths this API does not serve. */
export function apiRequestOf(method: string, url: URL): ApiRequest | undefined {
  const segments = url.pathname.replace(/\/+$/, '').split('/');
  if (PREFIX.some((part, i) => segments[i] !== part)) throw apiErrors.pathNotFound(url.pathname);
  let rest = segments.slice(PREFIX.length).map((s) => decodeURIComponent(s));
  if (rest.length === 0) return undefined;
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = rest[1];
    rest = rest.slice(2);
  }
  const resource = rest[0] as SecoResource;
  const info = SECO_RESOURCES[resource];
  if (!info || !Object.hasOwn(SECO_RESOURCES, resource) || rest.length > 2)
    throw apiErrors.pathNotFound(url.pathname);
  if (namespace !== undefined && (!info.namespaced || !NAME.test(namespace)))
    throw apiErrors.pathNotFound(url.pathname);
  const name = rest[1];
  if (name !== undefined && !NAME.test(name)) throw apiErrors.pathNotFound(url.pathname);
  const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
  const verb =
    method === 'POST'
      ? 'create'
      : method === 'GET' || method === 'HEAD'
        ? name !== undefined
          ? 'get'
          : watch
            ? 'watch'
            : 'list'
        : method.toLowerCase();
  if (!(info.verbs as readonly string[]).includes(verb)) throw apiErrors.methodNotAllowed(verb, resource);
  if (verb === 'create' && name !== undefined)
    throw apiErrors.methodNotAllowed('create with a name', resource);
  return { resource, namespace, name, verb };
}

/** Whether the client asked for a metav1 Table (what `kubectl get` asks for first). */
export function wantsTable(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = part.split(';').map((p) => p.trim());
    return params.includes('as=Table') && params.includes('g=meta.k8s.io');
  });
}

/**
 * `fieldSelector` on a list or watch: `metadata.name` and `metadata.namespace` (= or ==), the fields every
 * resource supports (what `kubectl get scans NAME -w` sends); anything else is refused, as upstream does.
 */
export function fieldSelectorOf(url: URL): { name?: string; namespace?: string } {
  const selector = url.searchParams.get('fieldSelector') ?? '';
  const fields: { name?: string; namespace?: string } = {};
  for (const term of selector.split(',').filter((t) => t !== '')) {
    const match = /^(metadata\.name|metadata\.namespace)==?(.*)$/.exec(term);
    if (!match) throw apiErrors.badRequest(`field label not supported: ${term.split(/!?=/)[0]}`);
    fields[match[1] === 'metadata.name' ? 'name' : 'namespace'] = match[2];
  }
  return fields;
}
