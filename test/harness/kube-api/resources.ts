/**
 * The resource types the harness serves: what API discovery advertises and what the router accepts.
 * Shapes follow metav1.APIResource (k8s.io/apimachinery/pkg/apis/meta/v1/types.go).
 */
export interface ResourceType {
  group: string;
  version: string;
  /** Plural, lower-case: the URL segment. */
  resource: string;
  singular: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** Resources that only accept create (TokenReview, SubjectAccessReview): never stored. */
  createOnly?: boolean;
}

const CRUD = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function type(
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return { group, version, resource, singular: kind.toLowerCase(), kind, namespaced, ...extra };
}

const ALL = ['all'];

export const RESOURCE_TYPES: ResourceType[] = [
  type('', 'v1', 'namespaces', 'Namespace', false, { shortNames: ['ns'] }),
  type('', 'v1', 'pods', 'Pod', true, { shortNames: ['po'], categories: ALL }),
  type('', 'v1', 'services', 'Service', true, { shortNames: ['svc'], categories: ALL }),
  type('', 'v1', 'serviceaccounts', 'ServiceAccount', true, { shortNames: ['sa'] }),
  type('', 'v1', 'configmaps', 'ConfigMap', true, { shortNames: ['cm'] }),
  type('', 'v1', 'secrets', 'Secret', true),
  type('', 'v1', 'nodes', 'Node', false, { shortNames: ['no'] }),
  type('', 'v1', 'events', 'Event', true, { shortNames: ['ev'] }),
  type('', 'v1', 'limitranges', 'LimitRange', true, { shortNames: ['limits'] }),
  type('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', true, { shortNames: ['pvc'] }),
  type('apps', 'v1', 'deployments', 'Deployment', true, { shortNames: ['deploy'], categories: ALL }),
  type('apps', 'v1', 'statefulsets', 'StatefulSet', true, { shortNames: ['sts'], categories: ALL }),
  type('apps', 'v1', 'daemonsets', 'DaemonSet', true, { shortNames: ['ds'], categories: ALL }),
  type('apps', 'v1', 'replicasets', 'ReplicaSet', true, { shortNames: ['rs'], categories: ALL }),
  type('batch', 'v1', 'jobs', 'Job', true, { categories: ALL }),
  type('batch', 'v1', 'cronjobs', 'CronJob', true, { shortNames: ['cj'], categories: ALL }),
  type('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', true, { shortNames: ['netpol'] }),
  type('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', true),
  type('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', true),
  type('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', false),
  type('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', false),
  type('coordination.k8s.io', 'v1', 'leases', 'Lease', true),
  type(
    'admissionregistration.k8s.io',
    'v1',
    'validatingadmissionpolicies',
    'ValidatingAdmissionPolicy',
    false,
  ),
  type(
    'admissionregistration.k8s.io',
    'v1',
    'validatingadmissionpolicybindings',
    'ValidatingAdmissionPolicyBinding',
    false,
  ),
  type('security.istio.io', 'v1', 'peerauthentications', 'PeerAuthentication', true, {
    shortNames: ['pa'],
    categories: ['istio-io', 'security-istio-io'],
  }),
  type('apiregistration.k8s.io', 'v1', 'apiservices', 'APIService', false),
  type('authentication.k8s.io', 'v1', 'tokenreviews', 'TokenReview', false, { createOnly: true }),
  type('authorization.k8s.io', 'v1', 'subjectaccessreviews', 'SubjectAccessReview', false, {
    createOnly: true,
  }),
  type('authorization.k8s.io', 'v1', 'selfsubjectaccessreviews', 'SelfSubjectAccessReview', false, {
    createOnly: true,
  }),
];

export function verbsOf(type: ResourceType): string[] {
  return type.createOnly ? ['create'] : CRUD;
}

export function groupVersion(type: { group: string; version: string }): string {
  return type.group === '' ? type.version : `${type.group}/${type.version}`;
}

export function findType(group: string, version: string, resource: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => t.group === group && t.version === version && t.resource === resource);
}

export function typeForKind(apiVersion: string, kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((t) => groupVersion(t) === apiVersion && t.kind === kind);
}

/** Groups in the order discovery lists them; the legacy core group ("") is served under /api. */
export function namedGroups(): Array<{ group: string; versions: string[] }> {
  const groups = new Map<string, Set<string>>();
  for (const t of RESOURCE_TYPES) {
    if (t.group === '') continue;
    const versions = groups.get(t.group) ?? new Set<string>();
    versions.add(t.version);
    groups.set(t.group, versions);
  }
  return [...groups].map(([group, versions]) => ({ group, versions: [...versions] }));
}
