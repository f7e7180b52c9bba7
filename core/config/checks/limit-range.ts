import { isRecord } from '../../kube/types.js';
import type { Inventory } from '../check.js';

export interface ContainerDefaults {
  /** Resources (cpu, memory…) that LimitRanger gives a limit to when a container sets none. */
  limits: Set<string>;
  /** Resources that LimitRanger gives a request to when a container sets none. */
  requests: Set<string>;
}

const keysOf = (v: unknown) => (isRecord(v) ? Object.keys(v).filter((k) => isQuantity(v[k])) : []);

export const isQuantity = (v: unknown) =>
  (typeof v === 'string' && v.trim() !== '') || (typeof v === 'number' && Number.isFinite(v));

// One scan asks once per namespace.
const cache = new WeakMap<Inventory, Map<string, ContainerDefaults>>();

/**
 * The container defaults of the namespace's LimitRanges in the input (core/v1 LimitRangeItem of type
 * Container, with the API's defaulting: `default` falls back to `max`, `defaultRequest` to `default`).
 */
export function containerDefaults(inventory: Inventory, namespace: string): ContainerDefaults {
  let byNamespace = cache.get(inventory);
  if (!byNamespace) {
    byNamespace = new Map();
    cache.set(inventory, byNamespace);
  }
  const known = byNamespace.get(namespace);
  if (known) return known;
  const defaults: ContainerDefaults = { limits: new Set(), requests: new Set() };
  for (const range of inventory.ofKind('LimitRange', namespace)) {
    const limits = isRecord(range.spec) && Array.isArray(range.spec.limits) ? range.spec.limits : [];
    for (const item of limits) {
      if (!isRecord(item) || item.type !== 'Container') continue;
      const limitKeys = [...keysOf(item.default), ...keysOf(item.max)];
      for (const key of limitKeys) defaults.limits.add(key);
      for (const key of [...keysOf(item.defaultRequest), ...limitKeys]) defaults.requests.add(key);
    }
  }
  byNamespace.set(namespace, defaults);
  return defaults;
}
