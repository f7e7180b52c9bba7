import type { ObjectCheck, Violation } from '../check.js';
import { userRulesOf } from './rbac-defaults.js';
import { describeRule, RBAC_URL, ROLE_KINDS, type Rule } from './rbac-rules.js';
import { cis, mitre } from './references.js';

/** What is wildcarded in the rule: `*` verbs, `*` resources, or a subresource of every resource (`*` slash name). */
export function wildcardsIn(rule: Rule): string[] {
  return [
    rule.verbs.includes('*') ? 'verbs' : '',
    rule.resources.some((r) => r === '*' || r.startsWith('*/')) ? 'resources' : '',
  ].filter(Boolean);
}

export const rbacWildcard: ObjectCheck = {
  id: 'rbac-wildcard',
  title: 'Role grants wildcard verbs or resources',
  severity: 'high',
  description:
    'A `*` grants everything that exists now and everything added later (new verbs, resources, CRDs, subresources), so the role silently grows. CIS 5.1.3 asks for wildcards to be minimized.',
  remediation: 'List the exact verbs and resources the subject needs.',
  references: [cis('5.1.3'), mitre('T1078.004'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    userRulesOf(role).flatMap((rule): Violation[] => {
      const wild = wildcardsIn(rule);
      return wild.length > 0
        ? [{ path: ['rules', rule.index], evidence: `${describeRule(rule)} has * in ${wild.join(' and ')}` }]
        : [];
    }),
};
