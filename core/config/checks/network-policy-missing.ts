import { labelsOf, selectorMatches } from '../../kube/label-selector.js';
import type { KubeObject } from '../../kube/types.js';
import type { Inventory, PodCheck } from '../check.js';
import { cis, nsa } from './container-check.js';

function directionsOf(policy: KubeObject): Set<string> {
  const spec = (policy.spec ?? {}) as { policyTypes?: unknown; egress?: unknown };
  if (Array.isArray(spec.policyTypes))
    return new Set(spec.policyTypes.filter((t): t is string => typeof t === 'string'));
  // networking/v1: policyTypes defaults to Ingress, plus Egress when egress rules are given.
  return new Set(spec.egress !== undefined ? ['Ingress', 'Egress'] : ['Ingress']);
}

interface NamespacePolicies {
  policies: Array<{ selector: unknown; directions: Set<string> }>;
  described: boolean;
}

// Policies per namespace, indexed once per scan: the check runs for every pod of the input.
const indexes = new WeakMap<Inventory, Map<string, NamespacePolicies>>();

function policiesIn(inventory: Inventory, namespace: string): NamespacePolicies {
  let index = indexes.get(inventory);
  if (!index) {
    index = new Map();
    indexes.set(inventory, index);
  }
  let entry = index.get(namespace);
  if (!entry) {
    entry = {
      policies: inventory.ofKind('NetworkPolicy', namespace).map((policy) => ({
        selector: (policy.spec as { podSelector?: unknown } | undefined)?.podSelector,
        directions: directionsOf(policy),
      })),
      described: inventory.ofKind('Namespace').some((ns) => ns.metadata?.name === namespace),
    };
    index.set(namespace, entry);
  }
  return entry;
}

// Judged only where the input describes the namespace's network policy: some NetworkPolicy for the
// namespace, or the Namespace object itself. Otherwise the cluster may well have policies we cannot see.
export const networkPolicyMissing: PodCheck = {
  id: 'network-policy-missing',
  title: 'Pods are not isolated by any NetworkPolicy',
  severity: 'medium',
  description:
    'Pods that no NetworkPolicy selects accept traffic from, and send traffic to, anything in the cluster: one compromised pod reaches them all.',
  remediation:
    'Add a default-deny NetworkPolicy to the namespace and allow only the flows the application needs, in both directions.',
  references: [nsa('Network policies'), cis('5.3.2')],
  target: 'pod',
  evaluate(pod, object, inventory) {
    const namespace = object.metadata?.namespace;
    if (typeof namespace !== 'string') return [];
    const { policies, described } = policiesIn(inventory, namespace);
    if (policies.length === 0 && !described) return [];
    const labels = labelsOf({ metadata: pod.metadata });
    const covered = new Set<string>();
    for (const policy of policies) {
      if (selectorMatches(policy.selector, labels))
        for (const direction of policy.directions) covered.add(direction);
    }
    const missing = ['Ingress', 'Egress'].filter((d) => !covered.has(d));
    if (missing.length === 0) return [];
    return [
      {
        path: [...pod.specPath.slice(0, -1), 'metadata', 'labels'],
        evidence: `no NetworkPolicy in namespace ${JSON.stringify(namespace)} selects these pods for ${missing.join(' and ')}`,
      },
    ];
  },
};
