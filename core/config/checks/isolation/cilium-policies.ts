import { selectorMatches } from '../../../kube/label-selector.js';
import type { KubeObject } from '../../../kube/types.js';
import { asRecord, type Direction, type IsolatingPolicy, type PodContext } from './isolating-policy.js';

// Cilium (docs.cilium.io, "Layer 3 policies", "Policy enforcement modes"): a rule selects endpoints
// with endpointSelector; an endpoint selected by a rule with an ingress (or ingressDeny) section is in
// default-deny for ingress, likewise egress, unless the rule sets enableDefaultDeny.<direction>: false.
// A CiliumNetworkPolicy selects in its namespace only; a CiliumClusterwideNetworkPolicy everywhere, its
// selector seeing the pod's namespace as the label io.kubernetes.pod.namespace and the namespace's labels
// as io.cilium.k8s.namespace.labels.<key>. Label keys may carry a source prefix (k8s:, any:).

export const CILIUM_KINDS = ['CiliumNetworkPolicy', 'CiliumClusterwideNetworkPolicy'] as const;

const SECTIONS: Record<Direction, { allow: string; deny: string; peers: string; enable: string }> = {
  Ingress: { allow: 'ingress', deny: 'ingressDeny', peers: 'fromEntities', enable: 'ingress' },
  Egress: { allow: 'egress', deny: 'egressDeny', peers: 'toEntities', enable: 'egress' },
};

function stripSource(key: string): string {
  const m = /^(k8s|any|container|reserved|unspec):(.*)$/.exec(key);
  return m ? (m[2] ?? key) : key;
}

/** The selector with source prefixes removed from its keys, for metav1.LabelSelector matching. */
function normalizedSelector(selector: unknown): unknown {
  const s = asRecord(selector);
  const matchLabels = Object.fromEntries(
    Object.entries(asRecord(s.matchLabels)).map(([k, v]) => [stripSource(k), v]),
  );
  const matchExpressions = Array.isArray(s.matchExpressions)
    ? s.matchExpressions.map((e) => ({ ...asRecord(e), key: stripSource(String(asRecord(e).key)) }))
    : undefined;
  return { matchLabels, ...(matchExpressions ? { matchExpressions } : {}) };
}

function clusterwideLabels(pod: PodContext): Record<string, unknown> {
  const labels: Record<string, unknown> = { ...pod.labels, 'io.kubernetes.pod.namespace': pod.namespace };
  for (const [k, v] of Object.entries(pod.namespaceLabels)) labels[`io.cilium.k8s.namespace.labels.${k}`] = v;
  return labels;
}

function ruleOf(
  object: KubeObject,
  spec: Record<string, unknown>,
  index: number,
): IsolatingPolicy | undefined {
  // nodeSelector rules are host policies: they select nodes, not pods.
  if (spec.endpointSelector === undefined || spec.endpointSelector === null) return undefined;
  const clusterwide = object.kind === 'CiliumClusterwideNetworkPolicy';
  const selector = normalizedSelector(spec.endpointSelector);
  const enable = asRecord(spec.enableDefaultDeny);
  const isolates = new Set<Direction>();
  const opens = new Set<Direction>();
  for (const direction of ['Ingress', 'Egress'] as const) {
    const section = SECTIONS[direction];
    const rules = Array.isArray(spec[section.allow]) ? (spec[section.allow] as unknown[]) : undefined;
    const hasSection = rules !== undefined || Array.isArray(spec[section.deny]);
    if (hasSection && enable[section.enable] !== false) isolates.add(direction);
    // An allow rule from/to the `all` entity lets every peer in: no isolation in effect.
    if (rules?.some((r) => (asRecord(r)[section.peers] as unknown[] | undefined)?.includes?.('all')))
      opens.add(direction);
  }
  const where = clusterwide ? '' : `${object.metadata?.namespace ?? ''}/`;
  return {
    name: `${object.kind} ${where}${object.metadata?.name ?? ''}${index > 0 ? ` (specs[${index - 1}])` : ''}`,
    selects: (pod) => selectorMatches(selector, clusterwide ? clusterwideLabels(pod) : pod.labels),
    isolates,
    opens,
  };
}

/** Every rule of a Cilium policy (`spec` and each of `specs`) as an isolating policy. */
export function ciliumPolicies(object: KubeObject): IsolatingPolicy[] {
  const specs = [object.spec, ...(Array.isArray(object.specs) ? object.specs : [])];
  return specs.flatMap((spec, index) => {
    if (typeof spec !== 'object' || spec === null) return [];
    const rule = ruleOf(object, spec as Record<string, unknown>, index);
    return rule ? [rule] : [];
  });
}
