import type { ObjectCheck } from '../check.js';
import { cis, mitre } from './container-check.js';
import { grants, RBAC_URL, ROLE_KINDS, rulesOf } from './rbac-rules.js';

export const rbacSecretsRead: ObjectCheck = {
  id: 'rbac-secrets-read',
  title: 'Role can read Secrets',
  severity: 'high',
  description:
    'get, list or watch on Secrets reveals every credential in scope, including service-account tokens of more powerful accounts.',
  remediation:
    'Remove secrets from the rule, or narrow it with resourceNames to the one Secret the subject needs.',
  references: [cis('5.1.2'), mitre('T1552.007'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    rulesOf(role).flatMap((rule) =>
      grants(rule, 'secrets', ['get', 'list', 'watch']) && rule.resourceNames.length === 0
        ? [
            {
              path: ['rules', rule.index],
              evidence: `rule ${rule.index} allows ${rule.verbs.join(',')} on ${rule.resources.join(',')}`,
            },
          ]
        : [],
    ),
};
