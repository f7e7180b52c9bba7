import type { KubeObject } from '../../kube/types.js';

/** One PolicyRule of a Role or ClusterRole, with every list read defensively (non-strings dropped). */
export interface Rule {
  index: number;
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

/** A request the authorizer would see: API group, resource, optional subresource. */
export interface ResourceRequest {
  group: string;
  resource: string;
  subresource?: string;
}

const strings = (value: unknown) =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];

export function rulesOf(role: KubeObject): Rule[] {
  const rules = Array.isArray(role.rules) ? role.rules : [];
  return rules.flatMap((rule, index) => {
    if (typeof rule !== 'object' || rule === null || Array.isArray(rule)) return [];
    const r = rule as Record<string, unknown>;
    return [
      {
        index,
        apiGroups: strings(r.apiGroups),
        resources: strings(r.resources),
        verbs: strings(r.verbs),
        resourceNames: strings(r.resourceNames),
        nonResourceURLs: strings(r.nonResourceURLs),
      },
    ];
  });
}

// Kubernetes RBAC (plugin/pkg/auth/authorizer/rbac/rbac.go, APIGroupMatches / ResourceMatches /
// VerbMatches): `*` matches everything, otherwise exact; a resource may also be `*/<subresource>`.
// `pods/*` is NOT a wildcard for Kubernetes: it matches nothing but a subresource literally named `*`.
function resourceMatches(rule: Rule, request: ResourceRequest): boolean {
  const combined = request.subresource ? `${request.resource}/${request.subresource}` : request.resource;
  return rule.resources.some(
    (r) =>
      r === '*' || r === combined || (request.subresource !== undefined && r === `*/${request.subresource}`),
  );
}

/** The verbs of `wanted` that the rule grants on the request (any resourceNames restriction aside). */
export function grantedVerbs(rule: Rule, request: ResourceRequest, wanted: readonly string[]): string[] {
  const group = rule.apiGroups.some((g) => g === '*' || g === request.group);
  if (!group || !resourceMatches(rule, request)) return [];
  return rule.verbs.includes('*') ? [...wanted] : wanted.filter((v) => rule.verbs.includes(v));
}

export function grants(rule: Rule, request: ResourceRequest, wanted: readonly string[]): boolean {
  return grantedVerbs(rule, request, wanted).length > 0;
}

/** `rule 2 (apiGroups "", resources secrets, verbs get,list)`: what a reader needs to find the rule. */
export function describeRule(rule: Rule): string {
  const groups = rule.apiGroups.map((g) => (g === '' ? '""' : g)).join(',');
  const what =
    rule.resources.length > 0
      ? `apiGroups ${groups || '(none)'}, resources ${rule.resources.join(',')}`
      : `nonResourceURLs ${rule.nonResourceURLs.join(',') || '(none)'}`;
  const names = rule.resourceNames.length > 0 ? `, resourceNames ${rule.resourceNames.join(',')}` : '';
  return `rule ${rule.index} (${what}${names}, verbs ${rule.verbs.join(',') || '(none)'})`;
}

export const RBAC_URL = 'https://kubernetes.io/docs/concepts/security/rbac-good-practices/';
export const ROLE_KINDS = ['Role', 'ClusterRole'] as const;
export const BINDING_KINDS = ['RoleBinding', 'ClusterRoleBinding'] as const;
