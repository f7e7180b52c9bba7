import type { KubeObject } from '../../kube/types.js';
import { type Rule, rulesOf } from './rbac-rules.js';
import { isPublic, isServiceAccount, type Subject } from './rbac-subjects.js';

// Kubernetes' own roles (RBAC docs, "Default roles and role bindings"): the API server creates and
// reconciles them, labelled kubernetes.io/bootstrapping=rbac-defaults. They are what Kubernetes needs
// to run: not findings by themselves; who is bound to them is judged on the bindings.
const USER_FACING_DEFAULTS = new Set(['cluster-admin', 'admin', 'edit', 'view']);
const BOOTSTRAPPING_LABEL = 'kubernetes.io/bootstrapping';

export function isDefaultRole(role: KubeObject): boolean {
  const name = role.metadata?.name ?? '';
  if (role.kind === 'ClusterRole' && (USER_FACING_DEFAULTS.has(name) || name.startsWith('system:')))
    return true;
  if (name.startsWith('system:')) return true;
  return role.metadata?.labels?.[BOOTSTRAPPING_LABEL] === 'rbac-defaults';
}

/** The rules the role checks judge: none for Kubernetes' default roles. */
export function userRulesOf(role: KubeObject): Rule[] {
  return isDefaultRole(role) ? [] : rulesOf(role);
}

/** A rule that grants every verb on every resource of every group: cluster-admin's, whatever the role's name. */
export const grantsEverything = (rule: Rule) =>
  rule.apiGroups.includes('*') &&
  rule.resources.includes('*') &&
  rule.verbs.includes('*') &&
  rule.resourceNames.length === 0;

/**
 * A Kubernetes component's own identity (system:kube-scheduler, system:masters, system:nodes…):
 * `system:` names other than the public groups and the service-account identities.
 */
export const isSystemComponent = (s: Subject) =>
  (s.kind === 'User' || s.kind === 'Group') &&
  s.name.startsWith('system:') &&
  !isPublic(s) &&
  !isServiceAccount(s);
