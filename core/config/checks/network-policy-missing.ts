import { labelsOf, selectorMatches } from '../../kube/label-selector.js';
import type { KubeObject } from '../../kube/types.js';
import type { Inventory, PodCheck } from '../check.js';
import { cis, nsa } from './references.js';

type Direction = 'Ingress' | 'Egress';

// networking/v1 NetworkPolicySpec.policyTypes: when unset or empty it defaults to Ingress, plus Egress
// when the policy has at least one egress rule. Unknown entries are ignored.
function directionsOf(spec: Record<string, unknown>): Set<Direction> {
  const types = Array.isArray(spec.policyTypes)
    ? spec.policyTypes.filter((t): t is Direction => t === 'Ingress' || t === 'Egress')
    : [];
  if (Array.isArray(spec.policyTypes) && spec.policyTypes.length > 0) return new Set(types);
  return new Set(Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
}

interface Policy {
  selector: unknown;
  directions: Set<Direction>;
}
interface NamespacePolicies {
  policies: Policy[];
  /** The input says what this namespace holds: its Namespace object or some NetworkPolicy is there. */
  described: boolean;
}

function policyOf(object: KubeObject): Policy {
  const spec =
    typeof object.spec === 'object' && object.spec !== null ? (object.spec as Record<string, unknown>) : {};
  // podSelector is a required non-pointer struct: absent means the empty selector, i.e. every pod.
  const selector = spec.podSelector === undefined || spec.podSelector === null ? {} : spec.podSelector;
  return { selector, directions: directionsOf(spec) };
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
    const policies = inventory.ofKind('NetworkPolicy', namespace).map(policyOf);
    const namespaceObject =
      namespace !== '' && inventory.ofKind('Namespace').some((ns) => ns.metadata?.name === namespace);
    entry = { policies, described: policies.length > 0 || namespaceObject };
    index.set(namespace, entry);
  }
  return entry;
}

export const networkPolicyMissing: PodCheck = {
  id: 'network-policy-missing',
  title: 'Pods are not isolated by a NetworkPolicy',
  severity: 'medium',
  description:
    'Pods that no NetworkPolicy selects for a direction accept traffic from (Ingress) or send traffic to (Egress) anything: one compromised pod reaches them all. Judged only where the input describes the namespace — it holds NetworkPolicies for it, or its Namespace object — since a cluster may hold policies the input does not show; objects without a namespace are judged against NetworkPolicies without one, as both land in the namespace they are applied to. Both directions must be covered (CIS 5.3.2, NSA/CISA: default-deny ingress and egress).',
  remediation:
    'Add a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress]) to the namespace and allow only the flows the application needs.',
  references: [nsa('Network separation and hardening: network policies'), cis('5.3.2')],
  target: 'pod',
  evaluate(pod, object, inventory) {
    const raw = object.metadata?.namespace;
    const namespace = typeof raw === 'string' ? raw : '';
    const { policies, described } = policiesIn(inventory, namespace);
    if (!described) return [];
    const labels = labelsOf({ metadata: pod.metadata });
    const covered = new Set<Direction>();
    for (const policy of policies)
      if (selectorMatches(policy.selector, labels)) for (const d of policy.directions) covered.add(d);
    const missing = (['Ingress', 'Egress'] as const).filter((d) => !covered.has(d));
    if (missing.length === 0) return [];
    const where = namespace === '' ? 'without a namespace' : `in namespace ${JSON.stringify(namespace)}`;
    return [
      {
        path: [...pod.specPath],
        evidence: `no NetworkPolicy ${where} selects these pods for ${missing.join(' or ')} (${policies.length} polic${policies.length === 1 ? 'y' : 'ies'} in the input)`,
      },
    ];
  },
};
