import type { ObjectCheck, Violation } from '../check.js';
import { userRulesOf } from './rbac-defaults.js';
import {
  describeRule,
  grantedVerbs,
  RBAC_URL,
  type ResourceRequest,
  ROLE_KINDS,
  type Rule,
} from './rbac-rules.js';
import { cis, mitre } from './references.js';

const RBAC_GROUP = 'rbac.authorization.k8s.io';
const AUTHN_GROUP = 'authentication.k8s.io';
// Where each verb has an effect (Kubernetes RBAC docs, "Privilege escalation prevention and
// bootstrapping"; authentication docs, "User impersonation"): bind/escalate on roles,
// impersonate on identities.
const ROLES: ResourceRequest[] = [
  { group: RBAC_GROUP, resource: 'roles' },
  { group: RBAC_GROUP, resource: 'clusterroles' },
];
const IDENTITIES: ResourceRequest[] = [
  { group: '', resource: 'users' },
  { group: '', resource: 'groups' },
  { group: '', resource: 'serviceaccounts' },
  { group: AUTHN_GROUP, resource: 'uids' },
];

// Each user extra is its own subresource (userextras/<key>): take the keys the rule names.
const userExtras = (rule: Rule): ResourceRequest[] =>
  rule.resources
    .filter((r) => r.startsWith('userextras/'))
    .map((r) => ({ group: AUTHN_GROUP, resource: 'userextras', subresource: r.slice('userextras/'.length) }));

/** The escalating verbs the rule grants where they take effect, `*` verbs included. */
export function escalatingVerbs(rule: Rule): string[] {
  const targets: Array<[string, ResourceRequest[]]> = [
    ['escalate', ROLES],
    ['bind', ROLES],
    ['impersonate', [...IDENTITIES, ...userExtras(rule)]],
  ];
  return targets
    .filter(([verb, requests]) => requests.some((request) => grantedVerbs(rule, request, [verb]).length > 0))
    .map(([verb]) => verb);
}

export const rbacEscalationVerbs: ObjectCheck = {
  id: 'rbac-escalation-verbs',
  title: 'Role grants escalate, bind or impersonate',
  severity: 'high',
  description:
    'escalate lets a subject write roles with permissions it does not hold, bind lets it bind any role to itself, and impersonate lets it act as any user, group or service account: each is a path to cluster-admin (CIS 5.1.8).',
  remediation:
    'Remove these verbs (and `*` verbs on roles, clusterroles and identities); only cluster administrators should hold them.',
  references: [cis('5.1.8'), mitre('T1078'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    userRulesOf(role).flatMap((rule): Violation[] => {
      const verbs = escalatingVerbs(rule);
      return verbs.length > 0
        ? [
            {
              path: ['rules', rule.index, 'verbs'],
              evidence: `${describeRule(rule)} grants ${verbs.join(', ')}`,
            },
          ]
        : [];
    }),
};
