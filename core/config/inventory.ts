import type { KubeObject } from '../kube/types.js';
import type { Inventory } from './check.js';

/** Indexes the input's objects by kind once, so checks that look across objects stay cheap. */
export function buildInventory(objects: readonly KubeObject[]): Inventory {
  const byKind = new Map<string, KubeObject[]>();
  const byKindAndNamespace = new Map<string, KubeObject[]>();
  const add = (map: Map<string, KubeObject[]>, key: string, object: KubeObject) => {
    const list = map.get(key);
    if (list) list.push(object);
    else map.set(key, [object]);
  };
  for (const object of objects) {
    const kind = object.kind ?? '';
    add(byKind, kind, object);
    add(byKindAndNamespace, `${kind}\u0000${object.metadata?.namespace ?? ''}`, object);
  }
  return {
    objects,
    ofKind(kind, namespace) {
      if (namespace === undefined) return byKind.get(kind) ?? [];
      return byKindAndNamespace.get(`${kind}\u0000${namespace}`) ?? [];
    },
  };
}
