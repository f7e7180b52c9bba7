import { type CalicoSelector, parseCalicoSelector } from '../../../kube/calico-selector.js';
import type { KubeObject } from '../../../kube/types.js';
import { asRecord, type Direction, type IsolatingPolicy, type PodContext } from './isolating-policy.js';

// Calico (docs.tigera.io, NetworkPolicy and GlobalNetworkPolicy resources): `selector` picks endpoints
// (Calico selector syntax; empty = all()), `types` says which directions the policy governs (unset:
// Ingress, plus Egress when egress rules are given), and policies apply in `order` (lower first; the
// Kubernetes NetworkPolicies Calico enforces count as 1000). A GlobalNetworkPolicy applies in every
// namespace its `namespaceSelector` picks, its selector seeing projectcalico.org/namespace; a
// namespace's own labels are seen with projectcalico.org/name added.

export const isCalicoPolicy = (o: KubeObject) =>
  (o.kind === 'NetworkPolicy' || o.kind === 'GlobalNetworkPolicy') &&
  /^(crd\.)?projectcalico\.org\//.test(o.apiVersion ?? '');

// A selector that does not parse selects nothing: a broken policy must not look like coverage.
function selectorOf(value: unknown): CalicoSelector {
  if (typeof value !== 'string' || value.trim() === '') return () => true;
  try {
    return parseCalicoSelector(value);
  } catch {
    return () => false;
  }
}

function directionsOf(spec: Record<string, unknown>): Set<Direction> {
  if (Array.isArray(spec.types) && spec.types.length > 0)
    return new Set(spec.types.filter((t): t is Direction => t === 'Ingress' || t === 'Egress'));
  return new Set(Array.isArray(spec.egress) && spec.egress.length > 0 ? ['Ingress', 'Egress'] : ['Ingress']);
}

// A rule that allows everything: action Allow with no protocol, source or destination restriction.
const MATCH_FIELDS = ['protocol', 'notProtocol', 'icmp', 'notICMP', 'ipVersion', 'http'];
function allowsAll(rule: unknown): boolean {
  const r = asRecord(rule);
  if (r.action !== 'Allow' || MATCH_FIELDS.some((f) => r[f] !== undefined)) return false;
  return Object.keys(asRecord(r.source)).length === 0 && Object.keys(asRecord(r.destination)).length === 0;
}

/** A Calico policy as an isolating policy. */
export function calicoPolicy(object: KubeObject): IsolatingPolicy {
  const spec = asRecord(object.spec);
  const global = object.kind === 'GlobalNetworkPolicy';
  const selector = selectorOf(spec.selector);
  const namespaceSelector = global ? selectorOf(spec.namespaceSelector) : () => true;
  const isolates = directionsOf(spec);
  const opens = new Set<Direction>();
  // Rules are evaluated in order: the first one decides what it matches.
  for (const [direction, key] of [
    ['Ingress', 'ingress'],
    ['Egress', 'egress'],
  ] as const) {
    const first = Array.isArray(spec[key]) ? spec[key][0] : undefined;
    if (isolates.has(direction) && first !== undefined && allowsAll(first)) opens.add(direction);
  }
  const order = typeof spec.order === 'number' ? spec.order : Number.POSITIVE_INFINITY;
  const where = global ? '' : `${object.metadata?.namespace ?? ''}/`;
  return {
    name: `Calico ${object.kind} ${where}${object.metadata?.name ?? ''}`,
    selects: (pod: PodContext) =>
      namespaceSelector({ ...pod.namespaceLabels, 'projectcalico.org/name': pod.namespace }) &&
      selector({ ...pod.labels, 'projectcalico.org/namespace': pod.namespace }),
    isolates,
    opens,
    order,
  };
}
