import { labelsOf, labelValue } from '../../kube/label-selector.js';
import type { Inventory, PodCheck } from '../check.js';
import { podSpecNode } from '../violation-paths.js';
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
  /**
   * Positions in `policies` of those with plain matchLabels selectors, by their first pair's key, then
   * value: a pod is asked only about the policies naming one of its own labels (most select one app).
   */
  byLabel: Map<string, Map<string, number[]>>;
  /** Positions of the other policies, asked for every pod. */
  unindexed: number[];
  /** The evidence by its gaps, built once per namespace and gap rather than once per pod. */
  evidence: Map<string, string>;
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
    const policies = [...namespaced, ...index.clusterwide];
    entry = {
      policies,
      ...indexByLabel(policies),
      evidence: new Map(),
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

function indexByLabel(
  policies: readonly IsolatingPolicy[],
): Pick<NamespacePolicies, 'byLabel' | 'unindexed'> {
  const byLabel = new Map<string, Map<string, number[]>>();
  const unindexed: number[] = [];
  policies.forEach((policy, position) => {
    const first = policy.requiredLabels?.[0];
    if (!first) {
      unindexed.push(position);
      return;
    }
    const [key, value] = first;
    let byValue = byLabel.get(key);
    if (!byValue) {
      byValue = new Map();
      byLabel.set(key, byValue);
    }
    const positions = byValue.get(value);
    if (positions) positions.push(position);
    else byValue.set(value, [position]);
  });
  return { byLabel, unindexed };
}

/** The policies that select the pod, in the order of `entry.policies` (openedBy reads the first). */
function selectingPolicies(entry: NamespacePolicies, pod: PodContext): IsolatingPolicy[] {
  const candidates = [...entry.unindexed];
  for (const [key, byValue] of entry.byLabel) {
    const value = labelValue(pod.labels, key);
    const positions = value === undefined ? undefined : byValue.get(value);
    if (positions) for (const position of positions) candidates.push(position);
  }
  if (entry.byLabel.size > 1 || entry.unindexed.length > 0) candidates.sort((a, b) => a - b);
  const selecting: IsolatingPolicy[] = [];
  for (const position of candidates) {
    const policy = entry.policies[position]!;
    if (policy.selects(pod)) selecting.push(policy);
  }
  return selecting;
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
    const entry = policiesIn(inventory, namespace);
    if (!entry.described) return [];
    const { namespaceLabels } = entry;
    const context: PodContext = { labels: labelsOf({ metadata: pod.metadata }), namespace, namespaceLabels };
    const selecting = selectingPolicies(entry, context);
    const gaps = DIRECTIONS.flatMap((direction) => {
      if (!selecting.some((p) => p.isolates.has(direction))) return [direction];
      const opener = openedBy(selecting, direction);
      return opener ? [`${direction} (${opener.name} allows all)`] : [];
    });
    if (gaps.length === 0) return [];
    const gapText = gaps.join(' or ');
    let evidence = entry.evidence.get(gapText);
    if (evidence === undefined) {
      const where = namespace === '' ? 'without a namespace' : `in namespace ${JSON.stringify(namespace)}`;
      const count = entry.policies.length;
      evidence = `no network policy ${where} isolates these pods for ${gapText} (${count} polic${count === 1 ? 'y' : 'ies'} in the input)`;
      entry.evidence.set(gapText, evidence);
    }
    return [{ path: podSpecNode(pod).path, evidence }];
  },
};
