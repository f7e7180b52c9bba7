import type { KubeObject } from '../kube/types.js';
import type { Inventory } from './check.js';

/** Indexes the input's objects by kind once, so checks that look across objects stay cheap. */
export function buildInventory(objects: readonly KubeObject[]): Inventory {
  const byKind = new Map<string, KubeObject[]>();
  for (const object of objects) {
    const kind = object.kind ?? '';
    const list = byKind.get(kind);
    if (list) list.push(object);
    else byKind.set(kind, [object]);
  }
  return {
    objects,
    ofKind(kind, namespace) {
      const list = byKind.get(kind) ?? [];
      return namespace === undefined ? list : list.filter((o) => (o.metadata?.namespace ?? '') === namespace);
    },
  };
}
