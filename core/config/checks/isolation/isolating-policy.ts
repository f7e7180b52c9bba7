export type Direction = 'Ingress' | 'Egress';
export const DIRECTIONS: readonly Direction[] = ['Ingress', 'Egress'];

/** The pod a policy is matched against: its labels and its namespace (name and labels). */
export interface PodContext {
  labels: Record<string, unknown>;
  namespace: string;
  namespaceLabels: Record<string, unknown>;
}

/**
 * A network policy of any flavor (Kubernetes, Cilium, Calico) reduced to what the isolation check
 * needs: which pods it selects, for which directions it puts them in default-deny, and for which it
 * lets everything in anyway.
 */
export interface IsolatingPolicy {
  /** `NetworkPolicy shop/default-deny`, `CiliumClusterwideNetworkPolicy lockdown`… */
  name: string;
  selects(pod: PodContext): boolean;
  /**
   * Set when the policy selects exactly the pods whose labels hold all these pairs (a plain matchLabels
   * selector): the check indexes such policies by their first pair instead of asking each of them.
   */
  requiredLabels?: ReadonlyArray<readonly [string, string]>;
  isolates: ReadonlySet<Direction>;
  /** Directions where the policy allows all traffic: isolation in name only. */
  opens: ReadonlySet<Direction>;
  /** Calico's precedence (lower first); Kubernetes NetworkPolicies count as 1000 next to Calico's. */
  order?: number;
}

export const asRecord = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
