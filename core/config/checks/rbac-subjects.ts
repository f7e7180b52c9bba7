import type { KubeObject } from '../../kube/types.js';
import type { Inventory } from '../check.js';

/** A RoleBinding/ClusterRoleBinding subject, kept only when its kind and name are strings. */
export interface Subject {
  index: number;
  kind: string;
  name: string;
  namespace?: string;
}

export function subjectsOf(binding: KubeObject): Subject[] {
  const list = Array.isArray(binding.subjects) ? binding.subjects : [];
  return list.flatMap((s, index) => {
    if (typeof s !== 'object' || s === null) return [];
    const { kind, name, namespace } = s as Record<string, unknown>;
    if (typeof kind !== 'string' || typeof name !== 'string') return [];
    return [{ index, kind, name, ...(typeof namespace === 'string' ? { namespace } : {}) }];
  });
}

export interface RoleRef {
  kind: 'Role' | 'ClusterRole';
  name: string;
}

export function roleRefOf(binding: KubeObject): RoleRef | undefined {
  const ref = binding.roleRef;
  if (typeof ref !== 'object' || ref === null) return undefined;
  const { kind, name } = ref as Record<string, unknown>;
  if ((kind !== 'Role' && kind !== 'ClusterRole') || typeof name !== 'string') return undefined;
  return { kind, name };
}

/** The role a binding points at, when it is in the input: a Role in the binding's namespace, or a ClusterRole. */
export function boundRole(binding: KubeObject, ref: RoleRef, inventory: Inventory): KubeObject | undefined {
  const candidates =
    ref.kind === 'ClusterRole'
      ? inventory.ofKind('ClusterRole')
      : inventory.ofKind('Role', binding.metadata?.namespace ?? '');
  return candidates.find((role) => role.metadata?.name === ref.name);
}

export function describeSubject(s: Subject): string {
  return `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`;
}

// The identities every request carries (Kubernetes authentication docs, "Anonymous requests"):
// system:authenticated is anyone with any valid credential, system:unauthenticated/system:anonymous no one at all.
export const isAnonymous = (s: Subject) =>
  (s.kind === 'Group' && s.name === 'system:unauthenticated') ||
  (s.kind === 'User' && s.name === 'system:anonymous');
export const isAllAuthenticated = (s: Subject) => s.kind === 'Group' && s.name === 'system:authenticated';
export const isPublic = (s: Subject) => isAnonymous(s) || isAllAuthenticated(s);
/** A service account, or the groups of all service accounts (`system:serviceaccounts[:<namespace>]`). */
export const isServiceAccount = (s: Subject) =>
  s.kind === 'ServiceAccount' ||
  (s.kind === 'Group' &&
    (s.name === 'system:serviceaccounts' || s.name.startsWith('system:serviceaccounts:'))) ||
  (s.kind === 'User' && s.name.startsWith('system:serviceaccount:'));
