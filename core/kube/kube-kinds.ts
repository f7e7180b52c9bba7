/** Where the API serves a kind: its group/version, plural resource and scope. */
export interface KindInfo {
  kind: string;
  apiVersion: string;
  /** Plural, lower-case: the URL segment. */
  resource: string;
  namespaced: boolean;
  /**
   * Served by a CustomResourceDefinition that a cluster may not have (Istio's PeerAuthentication):
   * a list of it in a cluster without the CRD is empty rather than an error.
   */
  optional?: boolean;
  /** Read by name only (Secrets, for imagePullSecrets): listing every secret is never what seco needs. */
  getOnly?: boolean;
}

function kind(kind: string, apiVersion: string, resource: string, namespaced: boolean): KindInfo {
  return { kind, apiVersion, resource, namespaced };
}

/** The kinds seco reads from a cluster (and nothing else: a view is read-only and narrow on purpose). */
export const KUBE_KINDS: readonly KindInfo[] = [
  kind('Namespace', 'v1', 'namespaces', false),
  kind('Node', 'v1', 'nodes', false),
  kind('Pod', 'v1', 'pods', true),
  kind('Service', 'v1', 'services', true),
  kind('ServiceAccount', 'v1', 'serviceaccounts', true),
  { ...kind('Secret', 'v1', 'secrets', true), getOnly: true },
  // Read for kube-system/extension-apiserver-authentication (the aggregated API's requestheader CA).
  { ...kind('ConfigMap', 'v1', 'configmaps', true), getOnly: true },
  kind('LimitRange', 'v1', 'limitranges', true),
  kind('Deployment', 'apps/v1', 'deployments', true),
  kind('StatefulSet', 'apps/v1', 'statefulsets', true),
  kind('DaemonSet', 'apps/v1', 'daemonsets', true),
  kind('ReplicaSet', 'apps/v1', 'replicasets', true),
  kind('Job', 'batch/v1', 'jobs', true),
  kind('CronJob', 'batch/v1', 'cronjobs', true),
  kind('NetworkPolicy', 'networking.k8s.io/v1', 'networkpolicies', true),
  kind('Role', 'rbac.authorization.k8s.io/v1', 'roles', true),
  kind('RoleBinding', 'rbac.authorization.k8s.io/v1', 'rolebindings', true),
  kind('ClusterRole', 'rbac.authorization.k8s.io/v1', 'clusterroles', false),
  kind('ClusterRoleBinding', 'rbac.authorization.k8s.io/v1', 'clusterrolebindings', false),
  // The cluster's own ValidatingAdmissionPolicies, for `scan --cluster-policies` (GA in Kubernetes 1.30).
  kind('ValidatingAdmissionPolicy', 'admissionregistration.k8s.io/v1', 'validatingadmissionpolicies', false),
  kind(
    'ValidatingAdmissionPolicyBinding',
    'admissionregistration.k8s.io/v1',
    'validatingadmissionpolicybindings',
    false,
  ),
  { ...kind('PeerAuthentication', 'security.istio.io/v1', 'peerauthentications', true), optional: true },
];

export function kindInfo(name: string, kinds: readonly KindInfo[] = KUBE_KINDS): KindInfo {
  const info = kinds.find((k) => k.kind === name);
  if (!info) {
    throw new Error(
      `seco does not read kind ${name} from a cluster (it reads ${kinds.map((k) => k.kind).join(', ')})`,
    );
  }
  return info;
}

/** `/api/v1` for the core group, `/apis/<group>/<version>` for the others. */
export function groupVersionPath(apiVersion: string): string {
  return apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
}

/** The REST path of a kind's collection, or of one object when `name` is given. */
export function resourcePath(info: KindInfo, namespace: string | undefined, name?: string): string {
  const base = groupVersionPath(info.apiVersion);
  const scope =
    info.namespaced && namespace !== undefined ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  const tail = name === undefined ? '' : `/${encodeURIComponent(name)}`;
  return `${base}${scope}/${info.resource}${tail}`;
}
