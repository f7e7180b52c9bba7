import { type ApiResourceEntry, resourceEntriesOf } from './discovery.js';
import { namedGroups, RESOURCE_TYPES } from './resources.js';

/**
 * Aggregated discovery (apidiscovery.k8s.io/v2, KEP-3352): one APIGroupDiscoveryList answers /api or
 * /apis with every group, version and resource, so kubectl 1.32 needs no per-version requests. It is
 * served when the Accept header asks for it; the Content-Type then says so, which is how client-go
 * tells it from the legacy documents.
 */
export const AGGREGATED_V2 = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList';

export function wantsAggregated(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => {
    const params = new Set(part.split(';').map((p) => p.trim()));
    return (
      params.has('g=apidiscovery.k8s.io') && params.has('v=v2') && params.has('as=APIGroupDiscoveryList')
    );
  });
}

/** APIResourceDiscovery entries from metav1.APIResource ones: subresources nest under their resource. */
function resourceItems(group: string, version: string, entries: ApiResourceEntry[]): unknown[] {
  const main = entries.filter((e) => !e.name.includes('/'));
  return main.map((entry) => ({
    resource: entry.name,
    responseKind: { group, version, kind: entry.kind },
    scope: entry.namespaced ? 'Namespaced' : 'Cluster',
    singularResource: entry.singularName,
    verbs: entry.verbs,
    ...(entry.shortNames ? { shortNames: entry.shortNames } : {}),
    ...(entry.categories ? { categories: entry.categories } : {}),
    subresources: entries
      .filter((e) => e.name.startsWith(`${entry.name}/`))
      .map((sub: ApiResourceEntry) => ({
        subresource: sub.name.slice(entry.name.length + 1),
        responseKind: { group: sub.group ?? group, version: sub.version ?? version, kind: sub.kind },
        verbs: sub.verbs,
      })),
  }));
}

function resources(group: string, version: string): unknown[] {
  const entries = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version).flatMap(
    resourceEntriesOf,
  );
  return resourceItems(group, version, entries);
}

function groupItem(group: string, versions: string[]): unknown {
  return {
    metadata: group === '' ? {} : { name: group },
    versions: versions.map((version) => ({
      version,
      resources: resources(group, version),
      freshness: 'Current',
    })),
  };
}

/** An aggregated API server's group, from the APIResourceList documents its backend serves. */
export interface ServedGroup {
  group: string;
  versions: Array<{ version: string; resources: ApiResourceEntry[] }>;
}

function servedItem(served: ServedGroup): unknown {
  return {
    metadata: { name: served.group },
    versions: served.versions.map(({ version, resources }) => ({
      version,
      resources: resourceItems(served.group, version, resources),
      freshness: 'Current',
    })),
  };
}

/** The APIGroupDiscoveryList for /api (legacy: true) or /apis, with the aggregated servers' groups. */
export function aggregatedDiscovery(legacy: boolean, served: ServedGroup[] = []): unknown {
  const items = legacy
    ? [groupItem('', ['v1'])]
    : [...namedGroups().map((g) => groupItem(g.group, g.versions)), ...served.map(servedItem)];
  return { kind: 'APIGroupDiscoveryList', apiVersion: 'apidiscovery.k8s.io/v2', metadata: {}, items };
}
