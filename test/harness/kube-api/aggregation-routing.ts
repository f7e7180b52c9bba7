import type { ServedGroup } from './aggregated-discovery.js';
import type { AggregationLayer, ApiServiceRoute } from './aggregation.js';
import type { AccessAttributes, KubeUser } from './auth.js';
import type { ApiResourceEntry } from './discovery.js';
import { isObject } from './patch.js';
import type { ServiceProxy } from './proxy.js';

/**
 * Request attributes of a path an APIService serves, split as k8s.io/apiserver's RequestInfoFactory
 * does without knowing the group's resources: /apis/<g>/<v>/[namespaces/<ns>/]<resource>[/<name>[/<sub>]].
 * /apis/<g>/<v> itself is a non-resource path (discovery).
 */
export function aggregatedAttributes(
  route: ApiServiceRoute,
  user: KubeUser,
  method: string,
  url: URL,
): AccessAttributes {
  let rest = url.pathname.replace(/\/+$/, '').split('/').slice(4);
  if (rest.length === 0) return { user, verb: method.toLowerCase(), path: url.pathname };
  let namespace: string | undefined;
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    namespace = decodeURIComponent(rest[1]!);
    rest = rest.slice(2);
  }
  const name = rest[1] === undefined ? undefined : decodeURIComponent(rest[1]);
  const watch = ['1', 'true'].includes(url.searchParams.get('watch') ?? '');
  const verbs: Record<string, string> = {
    GET: name === undefined ? (watch ? 'watch' : 'list') : 'get',
    HEAD: 'get',
    POST: 'create',
    PUT: 'update',
    PATCH: 'patch',
    DELETE: name === undefined ? 'deletecollection' : 'delete',
  };
  return {
    user,
    verb: verbs[method] ?? method.toLowerCase(),
    apiGroup: route.group,
    resource: rest[0],
    subresource: rest[2],
    namespace,
    name,
  };
}

function resourceEntries(list: unknown): ApiResourceEntry[] | undefined {
  if (!isObject(list) || list.kind !== 'APIResourceList' || !Array.isArray(list.resources)) return undefined;
  return list.resources.filter(
    (r): r is ApiResourceEntry =>
      isObject(r) && typeof r.name === 'string' && typeof r.kind === 'string' && Array.isArray(r.verbs),
  );
}

/**
 * The aggregated servers' groups for aggregated discovery: each APIService's APIResourceList is read
 * from its backend (what kube-apiserver falls back to for servers without aggregated discovery of their
 * own). A backend that does not answer is left out, as an unavailable APIService's group is.
 */
export async function servedGroupDiscovery(
  aggregation: AggregationLayer,
  proxy: ServiceProxy,
): Promise<ServedGroup[]> {
  const groups = new Map<string, ServedGroup>();
  await Promise.all(
    aggregation.routes().map(async (route) => {
      let target: URL;
      try {
        target = proxy.registeredUrl(route.service.namespace, `${route.service.name}:${route.service.port}`);
      } catch {
        return;
      }
      const list = await aggregation.fetchFromBackend(route, target, `/apis/${route.group}/${route.version}`);
      const resources = resourceEntries(list);
      if (!resources) return;
      const group = groups.get(route.group) ?? { group: route.group, versions: [] };
      group.versions.push({ version: route.version, resources });
      groups.set(route.group, group);
    }),
  );
  return [...groups.values()];
}
