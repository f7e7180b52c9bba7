import type { ObjectCheck } from '../check.js';
import { BINDING_KINDS, RBAC_URL } from './rbac-rules.js';
import { describeSubject, isPublic, isServiceAccount, roleRefOf, subjectsOf } from './rbac-subjects.js';
import { cis, mitre } from './references.js';

export const rbacClusterAdminBinding: ObjectCheck = {
  id: 'rbac-cluster-admin-binding',
  title: 'cluster-admin is bound to a service account or to every user',
  severity: 'critical',
  description:
    'cluster-admin is full control. Bound to a service account, one compromised pod (or one leaked token) owns the cluster; bound to system:authenticated or system:unauthenticated, anyone with any credential — or none — does (CIS 5.1.1). Through a RoleBinding it is full control of the namespace, Secrets included.',
  remediation:
    'Bind a role with only the permissions the workload needs; keep cluster-admin for a few break-glass human identities.',
  references: [cis('5.1.1'), mitre('T1078.004'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: BINDING_KINDS,
  evaluate(binding) {
    const ref = roleRefOf(binding);
    if (ref?.kind !== 'ClusterRole' || ref.name !== 'cluster-admin') return [];
    return subjectsOf(binding)
      .filter((s) => isServiceAccount(s) || isPublic(s))
      .map((s) => ({
        path: ['subjects', s.index],
        evidence: `${binding.kind} binds cluster-admin to ${describeSubject(s)}`,
      }));
  },
};
