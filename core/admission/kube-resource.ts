import type { KubeObject } from '../kube/types.js';

/** The group, version, plural resource and scope of an object, as an admission request names them. */
export interface RequestResource {
  group: string;
  version: string;
  kind: string;
  resource: string;
  namespaced: boolean;
}

// Kinds whose plural or scope the API server's guess (meta.UnsafeGuessKindToResource) would get wrong,
// or that are cluster-scoped; every other kind is namespaced with the guessed plural.
const KNOWN: Record<string, { resource?: string; namespaced: boolean }> = {
  Namespace: { namespaced: false },
  Node: { namespaced: false },
  PersistentVolume: { namespaced: false },
  ClusterRole: { namespaced: false },
  ClusterRoleBinding: { namespaced: false },
  CustomResourceDefinition: { namespaced: false },
  StorageClass: { resource: 'storageclasses', namespaced: false },
  PriorityClass: { resource: 'priorityclasses', namespaced: false },
  IngressClass: { resource: 'ingressclasses', namespaced: false },
  RuntimeClass: { resource: 'runtimeclasses', namespaced: false },
  ValidatingAdmissionPolicy: { resource: 'validatingadmissionpolicies', namespaced: false },
  ValidatingAdmissionPolicyBinding: { resource: 'validatingadmissionpolicybindings', namespaced: false },
  ValidatingWebhookConfiguration: { namespaced: false },
  MutatingWebhookConfiguration: { namespaced: false },
  APIService: { namespaced: false },
  CiliumClusterwideNetworkPolicy: { resource: 'ciliumclusterwidenetworkpolicies', namespaced: false },
  GlobalNetworkPolicy: { resource: 'globalnetworkpolicies', namespaced: false },
  Endpoints: { resource: 'endpoints', namespaced: true },
  NetworkPolicy: { resource: 'networkpolicies', namespaced: true },
  PodSecurityPolicy: { resource: 'podsecuritypolicies', namespaced: false },
};

/** meta.UnsafeGuessKindToResource: lower-case, then the English plural rules it knows. */
export function guessResource(kind: string): string {
  const lower = kind.toLowerCase();
  if (lower === '') return '';
  if (
    lower.endsWith('s') ||
    lower.endsWith('x') ||
    lower.endsWith('z') ||
    lower.endsWith('ch') ||
    lower.endsWith('sh')
  )
    return `${lower}es`;
  if (lower.endsWith('y') && !/[aeiou]y$/.test(lower)) return `${lower.slice(0, -1)}ies`;
  return `${lower}s`;
}

export function requestResourceOf(object: KubeObject): RequestResource {
  const apiVersion = object.apiVersion ?? '';
  const slash = apiVersion.indexOf('/');
  const kind = object.kind ?? '';
  const known = KNOWN[kind];
  return {
    group: slash >= 0 ? apiVersion.slice(0, slash) : '',
    version: slash >= 0 ? apiVersion.slice(slash + 1) : apiVersion,
    kind,
    resource: known?.resource ?? guessResource(kind),
    namespaced: known?.namespaced ?? true,
  };
}
