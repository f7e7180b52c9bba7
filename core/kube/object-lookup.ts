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
