import type { ObjectCheck, Violation } from '../check.js';
import { userRulesOf } from './rbac-defaults.js';
import { describeRule, grantedVerbs, RBAC_URL, ROLE_KINDS, type Rule } from './rbac-rules.js';
import { cis, mitre } from './references.js';

const READ_VERBS = ['get', 'list', 'watch'];

/**
 * The read verbs the rule grants on every Secret in scope. A rule narrowed by resourceNames reads
 * only the named Secrets — the least-privilege pattern CIS 5.1.2 recommends — and is not flagged.
 */
export function secretReadVerbs(rule: Rule): string[] {
  if (rule.resourceNames.length > 0) return [];
  return grantedVerbs(rule, { group: '', resource: 'secrets' }, READ_VERBS);
}

export const rbacSecretsRead: ObjectCheck = {
  id: 'rbac-secrets-read',
  title: 'Role can read Secrets',
  severity: 'high',
  description:
    'get, list or watch on Secrets reveals every credential in scope, including the tokens of more powerful service accounts (CIS 5.1.2). list and watch return the values too, not only the names.',
  remediation:
    'Remove secrets from the rule, or narrow it with resourceNames to the one Secret the subject needs.',
  references: [cis('5.1.2'), mitre('T1552.007'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    userRulesOf(role).flatMap((rule): Violation[] => {
      const verbs = secretReadVerbs(rule);
      return verbs.length > 0
        ? [
            {
              path: ['rules', rule.index],
              evidence: `${describeRule(rule)} grants ${verbs.join(', ')} on secrets`,
            },
          ]
        : [];
    }),
};
