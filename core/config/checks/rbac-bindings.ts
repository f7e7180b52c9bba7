import type { KubeObject } from '../../kube/types.js';
import type { ObjectCheck } from '../check.js';
import { cis, mitre } from './container-check.js';
import { BINDING_KINDS, RBAC_URL } from './rbac-rules.js';

interface Subject {
  kind: string;
  name: string;
  namespace?: string;
}

function subjectsOf(binding: KubeObject): Subject[] {
  const list = Array.isArray(binding.subjects) ? binding.subjects : [];
  return list.filter(
    (s): s is Subject =>
      typeof s === 'object' && s !== null && typeof s.kind === 'string' && typeof s.name === 'string',
  );
}

const roleRefName = (binding: KubeObject) => {
  const ref = binding.roleRef as { kind?: unknown; name?: unknown } | undefined;
  return ref?.kind === 'ClusterRole' && typeof ref.name === 'string' ? ref.name : undefined;
};

const PUBLIC_GROUPS = new Set(['system:authenticated', 'system:unauthenticated']);
// Built-in roles granted to everyone by default: binding them to public groups is normal.
const HARMLESS_ROLES = new Set([
  'system:public-info-viewer',
  'system:discovery',
  'system:basic-user',
  'system:service-account-issuer-discovery',
]);
const POWERFUL_ROLES = new Set(['cluster-admin', 'admin', 'edit']);

export const rbacClusterAdminBinding: ObjectCheck = {
  id: 'rbac-cluster-admin-binding',
  title: 'cluster-admin is bound to a service account',
  severity: 'high',
  description:
    'A pod running as this service account — or anyone who steals its token — controls the whole cluster.',
  remediation:
    'Bind a role with only the permissions the workload needs; keep cluster-admin for break-glass human accounts.',
  references: [cis('5.1.1'), mitre('T1078.004'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: BINDING_KINDS,
  evaluate(binding) {
    if (roleRefName(binding) !== 'cluster-admin') return [];
    const accounts = subjectsOf(binding).filter(
      (s) => s.kind === 'ServiceAccount' || s.name.startsWith('system:serviceaccounts'),
    );
    return accounts.length > 0
      ? [
          {
            path: ['subjects'],
            evidence: `cluster-admin bound to ${accounts.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ''}${s.name}`).join(', ')}`,
          },
        ]
      : [];
  },
};

export const rbacPublicBinding: ObjectCheck = {
  id: 'rbac-public-binding',
  title: 'Permissions granted to every user or to anonymous requests',
  severity: 'critical',
  description:
    'Binding roles to system:authenticated or system:unauthenticated gives them to anyone with any credential — or with none at all.',
  remediation: 'Bind roles to specific users, groups or service accounts instead of the public groups.',
  references: [cis('5.1.1'), mitre('T1078'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: BINDING_KINDS,
  evaluate(binding) {
    const role = (binding.roleRef as { name?: unknown } | undefined)?.name;
    if (typeof role !== 'string' || HARMLESS_ROLES.has(role)) return [];
    const publicSubjects = subjectsOf(binding).filter(
      (s) =>
        (s.kind === 'Group' && PUBLIC_GROUPS.has(s.name)) ||
        (s.kind === 'User' && s.name === 'system:anonymous'),
    );
    // To authenticated users, only roles that are powerful on their face; to anonymous users, any role.
    const flagged = publicSubjects.filter(
      (s) => s.name !== 'system:authenticated' || POWERFUL_ROLES.has(role),
    );
    return flagged.length > 0
      ? [{ path: ['subjects'], evidence: `role ${role} bound to ${flagged.map((s) => s.name).join(', ')}` }]
      : [];
  },
};
