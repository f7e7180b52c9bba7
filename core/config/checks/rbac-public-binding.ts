import type { KubeObject } from '../../kube/types.js';
import type { Inventory, ObjectCheck } from '../check.js';
import { escalatingVerbs } from './rbac-escalation-verbs.js';
import { execSubresources } from './rbac-pods-exec.js';
import { BINDING_KINDS, RBAC_URL, rulesOf } from './rbac-rules.js';
import { secretReadVerbs } from './rbac-secrets-read.js';
import { boundRole, describeSubject, isAnonymous, isPublic, roleRefOf, subjectsOf } from './rbac-subjects.js';
import { wildcardsIn } from './rbac-wildcard.js';
import { cis, mitre } from './references.js';

// Built-in ClusterRoles Kubernetes itself binds to the public groups (RBAC docs, "Default roles and
// role bindings" — API discovery roles): binding them again is harmless.
const PUBLIC_BY_DEFAULT = new Set([
  'system:public-info-viewer',
  'system:discovery',
  'system:basic-user',
  'system:service-account-issuer-discovery',
]);
// Built-in user-facing roles that can read Secrets or run code in pods (RBAC docs, "User-facing roles").
const POWERFUL_BUILT_INS = new Set(['admin', 'edit']);

/** Why the role is dangerous, judged from its rules when it is in the input; undefined when it is not known to be. */
function dangerOf(binding: KubeObject, inventory: Inventory): string | undefined {
  const ref = roleRefOf(binding);
  if (!ref) return undefined;
  if (ref.kind === 'ClusterRole' && POWERFUL_BUILT_INS.has(ref.name))
    return `built-in ClusterRole ${ref.name}`;
  const role = boundRole(binding, ref, inventory);
  if (!role) return undefined;
  const rules = rulesOf(role);
  const reasons = [
    rules.some((r) => wildcardsIn(r).length > 0) ? 'wildcards' : '',
    rules.some((r) => secretReadVerbs(r).length > 0) ? 'reads Secrets' : '',
    rules.some((r) => execSubresources(r).length > 0) ? 'exec into pods' : '',
    rules.some((r) => escalatingVerbs(r).length > 0) ? 'escalate/bind/impersonate' : '',
  ].filter(Boolean);
  return reasons.length > 0 ? `${ref.kind} ${ref.name} (${reasons.join(', ')})` : undefined;
}

export const rbacPublicBinding: ObjectCheck = {
  id: 'rbac-public-binding',
  title: 'Permissions granted to every user or to anonymous requests',
  severity: 'critical',
  description:
    'system:authenticated is anyone with any credential (on many managed clusters, any cloud account); system:unauthenticated and system:anonymous are requests with none. Any role bound to anonymous requests, and any dangerous role bound to all authenticated users, is open to the world (CIS 5.1.1). cluster-admin is reported by rbac-cluster-admin-binding.',
  remediation: 'Bind roles to specific users, groups or service accounts instead of the public groups.',
  references: [cis('5.1.1'), mitre('T1078'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: BINDING_KINDS,
  evaluate(binding, inventory) {
    const ref = roleRefOf(binding);
    if (
      !ref ||
      PUBLIC_BY_DEFAULT.has(ref.name) ||
      (ref.kind === 'ClusterRole' && ref.name === 'cluster-admin')
    )
      return [];
    const publicSubjects = subjectsOf(binding).filter(isPublic);
    if (publicSubjects.length === 0) return [];
    const danger = dangerOf(binding, inventory);
    // To anonymous requests any role is too much; to all authenticated users, a dangerous one.
    return publicSubjects
      .filter((s) => isAnonymous(s) || danger !== undefined)
      .map((s) => ({
        path: ['subjects', s.index],
        evidence: `${binding.kind} grants ${danger ?? `${ref.kind} ${ref.name}`} to ${describeSubject(s)}`,
      }));
  },
};
