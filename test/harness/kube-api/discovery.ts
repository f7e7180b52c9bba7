import { groupVersion, namedGroups, RESOURCE_TYPES, type ResourceType, verbsOf } from './resources.js';

/**
 * Legacy API discovery documents (kubernetes.io/docs/concepts/overview/kubernetes-api/#discovery-api):
 * /api (APIVersions), /apis (APIGroupList), /apis/<g> (APIGroup), /api/v1 and /apis/<g>/<v>
 * (APIResourceList), and /version. Aggregated discovery is in aggregated-discovery.ts.
 */
export const SERVER_VERSION = {
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0',
  gitCommit: '70d3cc986aa8221cd1dfb1121852688902d3bf53',
  gitTreeState: 'clean',
  buildDate: '2024-12-11T17:59:15Z',
  goVersion: 'go1.23.3',
  compiler: 'gc',
  platform: 'linux/amd64',
};

const STATUS_SUBRESOURCE = new Set([
  'Namespace',
  'Pod',
  'Service',
  'Node',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'Job',
  'CronJob',
]);

export function apiVersions(serverAddress: string): unknown {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

function groupEntry(group: string, versions: string[]): unknown {
  const entries = versions.map((version) => ({ groupVersion: `${group}/${version}`, version }));
  return { name: group, versions: entries, preferredVersion: entries[0] };
}

type ServedGroups = Array<{ group: string; versions: string[] }>;

/** Built-in groups, then those APIServices serve (aggregated groups). */
export function apiGroupList(aggregated: ServedGroups = []): unknown {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: [...namedGroups(), ...aggregated].map((g) => groupEntry(g.group, g.versions)),
  };
}

export function apiGroup(group: string, aggregated: ServedGroups = []): unknown | undefined {
  const found = [...namedGroups(), ...aggregated].find((g) => g.group === group);
  return found
    ? { kind: 'APIGroup', apiVersion: 'v1', ...(groupEntry(found.group, found.versions) as object) }
    : undefined;
}

export interface ApiResourceEntry {
  name: string;
  singularName: string;
  namespaced: boolean;
  kind: string;
  verbs: string[];
  shortNames?: string[];
  categories?: string[];
  /** Set on subresources whose kind lives in another group (Scale is autoscaling/v1). */
  group?: string;
  version?: string;
}

/** metav1.APIResource entries of a type: the resource and its subresources (`pods/status`). */
export function resourceEntriesOf(type: ResourceType): ApiResourceEntry[] {
  const main: ApiResourceEntry = {
    name: type.resource,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: verbsOf(type),
    ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    ...(type.categories ? { categories: type.categories } : {}),
  };
  const sub = (name: string, verbs: string[], kind = type.kind): ApiResourceEntry => ({
    name: `${type.resource}/${name}`,
    singularName: '',
    namespaced: type.namespaced,
    kind,
    verbs,
  });
  const entries = [main];
  if (STATUS_SUBRESOURCE.has(type.kind)) entries.push(sub('status', ['get', 'patch', 'update']));
  if (['Deployment', 'StatefulSet', 'ReplicaSet'].includes(type.kind)) {
    entries.push({
      ...sub('scale', ['get', 'patch', 'update'], 'Scale'),
      group: 'autoscaling',
      version: 'v1',
    });
  }
  if (type.kind === 'Service') {
    entries.push(sub('proxy', ['create', 'delete', 'get', 'patch', 'update'], 'ServiceProxyOptions'));
  }
  return entries;
}

/** APIResourceList for one group/version, or undefined when the harness serves no such version. */
export function apiResourceList(group: string, version: string): unknown | undefined {
  const types = RESOURCE_TYPES.filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersion({ group, version }),
    resources: types.flatMap(resourceEntriesOf),
  };
}
