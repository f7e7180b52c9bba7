import { selectorMatches } from '../kube/label-selector.js';
import type { KubeObject } from '../kube/types.js';
import type { PolicyBinding } from './policy-set.js';

/** Params for a binding (paramRef by name or selector, in its namespace), from the objects given. */
export function findParams(
  paramKind: { apiVersion: string; kind: string },
  paramRef: NonNullable<PolicyBinding['paramRef']>,
  objectNamespace: string | undefined,
  candidates: readonly KubeObject[],
): KubeObject[] {
  // paramRef.namespace unset: the request's namespace for namespaced params (API reference, ParamRef).
  const namespace = paramRef.namespace ?? objectNamespace;
  return candidates.filter((p) => {
    if (p.kind !== paramKind.kind || p.apiVersion !== paramKind.apiVersion) return false;
    const ns = p.metadata?.namespace;
    if (ns !== undefined && namespace !== undefined && ns !== namespace) return false;
    if (paramRef.name !== undefined) return p.metadata?.name === paramRef.name;
    return selectorMatches(paramRef.selector ?? {}, p.metadata?.labels);
  });
}
