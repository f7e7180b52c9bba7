import type { ConfigCheck } from './check.js';
import { HARDENING_CHECKS } from './checks/index.js';
import { PSS_CHECKS } from './pss/index.js';

/** Every configuration check seco runs: the Pod Security Standards controls, then hardening checks. */
export const CONFIG_CHECKS: readonly ConfigCheck[] = [...PSS_CHECKS, ...HARDENING_CHECKS];

/** Kinds that checks read as context (selectors, mesh policy, token defaults) rather than scan. */
export const CONTEXT_KINDS: ReadonlySet<string> = new Set([
  'CiliumClusterwideNetworkPolicy',
  'CiliumNetworkPolicy',
  'GlobalNetworkPolicy',
  'LimitRange',
  'Namespace',
  'NetworkPolicy',
  'PeerAuthentication',
  'ServiceAccount',
]);

/** Kinds the checks look up across objects (Inventory.ofKind): what a streamed scan keeps from every file. */
export const INVENTORY_KINDS: ReadonlySet<string> = new Set([...CONTEXT_KINDS, 'Role', 'ClusterRole']);
