import type { Severity } from '../../model/index.js';
import type { ObjectCheck } from '../check.js';
import { grantsEverything, isSystemComponent } from './rbac-defaults.js';
import { BINDING_KINDS, RBAC_URL, rulesOf } from './rbac-rules.js';
import {
  boundRole,
  describeSubject,
  isPublic,
  isServiceAccount,
  roleRefOf,
  type Subject,
  subjectsOf,
} from './rbac-subjects.js';
import { cis, mitre } from './references.js';

// A break-glass human may be acceptable, a workload identity or a public group never is (CIS 5.1.1
// and Kubescape report every such binding; the severity says how bad).
function severityFor(s: Subject): Severity {
  if (isServiceAccount(s) || isPublic(s)) return 'critical';
  return s.kind === 'Group' ? 'high' : 'medium';
}

export const rbacClusterAdminBinding: ObjectCheck = {
  id: 'rbac-cluster-admin-binding',
  title:
    'cluster-admin (or a role granting everything) is bound to a subject other than a Kubernetes component',
  severity: 'critical',
  description:
    'cluster-admin is full control, and so is any role with a rule of every verb on every resource of every API group. Bound to a service account, one compromised pod (or one leaked token) owns the cluster; bound to system:authenticated or system:unauthenticated, anyone with any credential — or none — does; bound to a group or user, every member is one phished credential from owning it (CIS 5.1.1). Through a RoleBinding it is full control of the namespace, Secrets included. Severity: critical for service accounts and public groups, high for groups, medium for users.',
  remediation:
    'Bind a role with only the permissions the subject needs; keep cluster-admin for a few break-glass human identities, and suppress their bindings with a reason.',
  references: [cis('5.1.1'), mitre('T1078.004'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: BINDING_KINDS,
  evaluate(binding, inventory) {
    const ref = roleRefOf(binding);
    if (!ref) return [];
    const builtIn = ref.kind === 'ClusterRole' && ref.name === 'cluster-admin';
    const role = builtIn ? undefined : boundRole(binding, ref, inventory);
    if (!builtIn && !(role && rulesOf(role).some(grantsEverything))) return [];
    const what = builtIn ? 'cluster-admin' : `${ref.kind} ${ref.name} (every verb on every resource)`;
    return subjectsOf(binding)
      .filter((s) => !isSystemComponent(s))
      .map((s) => ({
        path: ['subjects', s.index],
        evidence: `${binding.kind} binds ${what} to ${describeSubject(s)}`,
        severity: severityFor(s),
      }));
  },
};
