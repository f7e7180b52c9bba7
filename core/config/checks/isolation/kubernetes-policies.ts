import { hasLabels, requiredLabels, selectorMatches } from '../../../kube/label-selector.js';
import type { KubeObject } from '../../../kube/types.js';
import { asRecord, type Direction, type IsolatingPolicy } from './isolating-policy.js';

// networking/v1 NetworkPolicySpec.policyTypes: when unset or empty it defaults to Ingress, plus Egress
// when the policy has at least one egress rule. Unknown entries are ignored.
export function directionsOf(spec: Record<string, unknown>): Set<Direction> {
  const types = Array.isArray(spec.policyTypes)
    ? spec.policyTypes.filter((t): t is Direction => t === 'Ingress' || t === 'Egress')
    : [];
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return new Set(types);
  return new Set(Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
}

export const isKubernetesNetworkPolicy = (o: KubeObject) =>
  o.kind === 'NetworkPolicy' && (o.apiVersion ?? '').startsWith('networking.k8s.io/');

/** A Kubernetes NetworkPolicy: its podSelector in its own namespace. */
export function kubernetesPolicy(object: KubeObject): IsolatingPolicy {
  const spec = asRecord(object.spec);
  // podSelector is a required non-pointer struct: absent means the empty selector, i.e. every pod.
  const selector = spec.podSelector === undefined || spec.podSelector === null ? {} : spec.podSelector;
  // Read once per policy: the check matches every policy of a namespace against each of its pods.
  const required = requiredLabels(selector);
  return {
    name: `NetworkPolicy ${object.metadata?.namespace ?? ''}/${object.metadata?.name ?? ''}`,
    selects: required
      ? (pod) => hasLabels(pod.labels, required)
      : (pod) => selectorMatches(selector, pod.labels),
    ...(required ? { requiredLabels: required } : {}),
    isolates: directionsOf(spec),
    opens: new Set(),
    order: 1000,
  };
}
