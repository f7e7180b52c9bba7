import type { KubeObject } from '../../kube/types.js';

/** One PolicyRule of a Role or ClusterRole, with the fields read defensively. */
export interface Rule {
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
}

const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function rulesOf(role: KubeObject): Rule[] {
  const rules = Array.isArray(role.rules) ? role.rules : [];
  return rules.flatMap((rule, index) =>
    typeof rule === 'object' && rule !== null
      ? [
          {
            index,
            apiGroups: strings((rule as Record<string, unknown>).apiGroups),
            resources: strings((rule as Record<string, unknown>).resources),
            verbs: strings((rule as Record<string, unknown>).verbs),
            resourceNames: strings((rule as Record<string, unknown>).resourceNames),
          },
        ]
      : [],
  );
}

/** True when the rule grants `verb` on `resource` in the core API group (or all groups). */
export function grants(rule: Rule, resource: string, verbs: readonly string[]): boolean {
  const group = rule.apiGroups.includes('') || rule.apiGroups.includes('*');
  const [base] = resource.split('/');
  const res = rule.resources.some(
    (r) => r === '*' || r === resource || (resource.includes('/') && r === `${base}/*`),
  );
  const verb = rule.verbs.some((v) => v === '*' || verbs.includes(v));
  return group && res && verb;
}

export const RBAC_URL = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';
export const ROLE_KINDS = ['Role', 'ClusterRole'] as const;
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;
