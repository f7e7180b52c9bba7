import { labelsOf } from '../../kube/label-selector.js';
import type { Inventory, PodCheck } from '../check.js';
import { calicoPolicy, isCalicoPolicy } from './isolation/calico-policies.js';
import { ciliumPolicies } from './isolation/cilium-policies.js';
import {
  DIRECTIONS,
  type Direction,
  type IsolatingPolicy,
  type PodContext,
} from './isolation/isolating-policy.js';
import { isKubernetesNetworkPolicy, kubernetesPolicy } from './isolation/kubernetes-policies.js';
import { cis, nsa } from './references.js';

interface NamespacePolicies {
  /** Policies of the namespace and the cluster-wide ones. */
  policies: IsolatingPolicy[];
  namespaceLabels: Record<string, unknown>;
  /** The input says what this namespace holds: its Namespace object or some namespaced policy is there. */
  described: boolean;
}

// Policies per namespace, indexed once per scan: the check runs for every pod of the input.
const indexes = new WeakMap<
  Inventory,
  { clusterwide: IsolatingPolicy[]; namespaces: Map<string, NamespacePolicies> }
>();

function clusterwidePolicies(inventory: Inventory): IsolatingPolicy[] {
  return [
    ...inventory.ofKind('CiliumClusterwideNetworkPolicy').flatMap(ciliumPolicies),
    ...inventory.ofKind('GlobalNetworkPolicy').filter(isCalicoPolicy).map(calicoPolicy),
  ];
}

function policiesIn(inventory: Inventory, namespace: string): NamespacePolicies {
  let index = indexes.get(inventory);
  if (!index) {
    index = { clusterwide: clusterwidePolicies(inventory), namespaces: new Map() };
    indexes.set(inventory, index);
  }
  let entry = index.namespaces.get(namespace);
  if (!entry) {
    const networkPolicies = inventory.ofKind('NetworkPolicy', namespace);
    const namespaced = [
      ...networkPolicies.filter(isKubernetesNetworkPolicy).map(kubernetesPolicy),
      ...networkPolicies.filter(isCalicoPolicy).map(calicoPolicy),
      ...inventory.ofKind('CiliumNetworkPolicy', namespace).flatMap(ciliumPolicies),
    ];
    const namespaceObject =
      namespace === ''
        ? undefined
        : inventory.ofKind('Namespace').find((ns) => ns.metadata?.name === namespace);
    entry = {
      policies: [...namespaced, ...index.clusterwide],
      namespaceLabels: {
        ...(namespace ? { 'kubernetes.io/metadata.name': namespace } : {}),
        ...(namespaceObject ? labelsOf(namespaceObject) : {}),
      },
      described: namespaced.length > 0 || namespaceObject !== undefined,
    };
    index.namespaces.set(namespace, entry);
  }
  return entry;
}

/**
 * Why the pod is open in `direction` although policies select it, or undefined when it is isolated:
 * the first policy by Calico order allows everything, or a Cilium rule allows the `all` entity.
 */
function openedBy(selecting: readonly IsolatingPolicy[], direction: Direction): IsolatingPolicy | undefined {
  const isolating = selecting.filter((p) => p.isolates.has(direction));
  const unordered = isolating.find((p) => p.order === undefined && p.opens.has(direction));
  if (unordered) return unordered;
  const calico = isolating.some((p) => p.name.startsWith('Calico '));
  if (!calico) return undefined;
  const first = isolating
    .filter((p) => p.order !== undefined)
    .sort((a, b) => (a.order ?? 0) - (b.order ?? 0) || a.name.localeCompare(b.name))[0];
  return first?.opens.has(direction) ? first : undefined;
}

export const networkPolicyMissing: PodCheck = {
  id: 'network-policy-missing',
  title: 'Pods are not isolated by a NetworkPolicy',
  severity: 'medium',
  description:
    'Pods that no network policy selects for a direction accept traffic from (Ingress) or send traffic to (Egress) anything: one compromised pod reaches them all. Kubernetes NetworkPolicies, CiliumNetworkPolicy / CiliumClusterwideNetworkPolicy (endpointSelector, ingress/egress sections, enableDefaultDeny) and Calico NetworkPolicy / GlobalNetworkPolicy (selector, namespaceSelector, types, order) count, each with its own selector semantics; a policy that allows everything first (Calico order) or from the `all` entity (Cilium) does not isolate. Judged only where the input describes the namespace — it holds policies for it, or its Namespace object — since a cluster may hold policies the input does not show; objects without a namespace are judged against policies without one. Both directions must be covered (CIS 5.3.2, NSA/CISA: default-deny ingress and egress).',
  remediation:
    'Add a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress]) to the namespace — or the Cilium/Calico equivalent — and allow only the flows the application needs.',
  references: [nsa('Network separation and hardening: network policies'), cis('5.3.2')],
  target: 'pod',
  evaluate(pod, object, inventory) {
    const raw = object.metadata?.namespace;
    const namespace = typeof raw === 'string' ? raw : '';
    const { policies, described, namespaceLabels } = policiesIn(inventory, namespace);
    if (!described) return [];
    const context: PodContext = { labels: labelsOf({ metadata: pod.metadata }), namespace, namespaceLabels };
    const selecting = policies.filter((p) => p.selects(context));
    const gaps = DIRECTIONS.flatMap((direction) => {
      if (!selecting.some((p) => p.isolates.has(direction))) return [direction];
      const opener = openedBy(selecting, direction);
      return opener ? [`${direction} (${opener.name} allows all)`] : [];
    });
    if (gaps.length === 0) return [];
    const where = namespace === '' ? 'without a namespace' : `in namespace ${JSON.stringify(namespace)}`;
    const count = policies.length;
    return [
      {
        path: [...pod.specPath],
        evidence: `no network policy ${where} isolates these pods for ${gaps.join(' or ')} (${count} polic${count === 1 ? 'y' : 'ies'} in the input)`,
      },
    ];
  },
};
