import type { ListOptions } from './kube-view.js';
import { labelsOf, selectorMatches } from './label-selector.js';
import { parseSelectorString } from './selector-string.js';
import type { KubeObject } from './types.js';

/** `KubeView.list` over objects held in memory: by kind, namespace and kubectl-style label selector. */
export function listObjects(
  objects: readonly KubeObject[],
  kind: string,
  options: ListOptions = {},
): KubeObject[] {
  const selector = options.labelSelector ? parseSelectorString(options.labelSelector) : undefined;
  return objects.filter(
    (o) =>
      o.kind === kind &&
      (options.namespace === undefined || o.metadata?.namespace === options.namespace) &&
      (!selector || selectorMatches(selector, labelsOf(o))),
  );
}

/** `KubeView.get` over objects held in memory. */
export function findObject(
  objects: readonly KubeObject[],
  kind: string,
  namespace: string | undefined,
  name: string,
): KubeObject | undefined {
  return objects.find(
    (o) =>
      o.kind === kind &&
      o.metadata?.name === name &&
      (namespace === undefined || o.metadata?.namespace === namespace),
  );
}

/**
 * Objects held in memory, indexed by kind and by kind/namespace/name: a `--kube-from` directory of a large
 * cluster (65,000 objects) answers the resolver's per-pod owner lookups without a scan each.
 */
export class ObjectIndex {
  private readonly byKind = new Map<string, KubeObject[]>();
  private readonly byName = new Map<string, KubeObject>();

  constructor(objects: readonly KubeObject[]) {
    for (const o of objects) {
      const kind = o.kind ?? '';
      const ofKind = this.byKind.get(kind);
      if (ofKind) ofKind.push(o);
      else this.byKind.set(kind, [o]);
      const name = o.metadata?.name ?? '';
      // The first object wins, as findObject's scan finds the first; `*` stands for any namespace.
      for (const key of [`${kind}/${o.metadata?.namespace ?? ''}/${name}`, `${kind}/*/${name}`])
        if (!this.byName.has(key)) this.byName.set(key, o);
    }
  }

  list(kind: string, options: ListOptions = {}): KubeObject[] {
    return listObjects(this.byKind.get(kind) ?? [], kind, options);
  }

  find(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.byName.get(`${kind}/${namespace ?? '*'}/${name}`);
  }
}
