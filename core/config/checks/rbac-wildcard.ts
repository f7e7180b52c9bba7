import type { ObjectCheck } from '../check.js';
import { cis, mitre } from './container-check.js';
import { RBAC_URL, ROLE_KINDS, rulesOf } from './rbac-rules.js';

export const rbacWildcard: ObjectCheck = {
  id: 'rbac-wildcard',
  title: 'Role grants wildcard verbs or resources',
  severity: 'high',
  description:
    'A `*` grants everything that exists now and everything added later (new resources, CRDs, subresources).',
  remediation: 'List the exact verbs and resources the subject needs.',
  references: [cis('5.1.3'), mitre('T1078.004'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    rulesOf(role).flatMap((rule) => {
      const wild = [
        rule.verbs.includes('*') ? 'verbs' : '',
        rule.resources.includes('*') ? 'resources' : '',
      ].filter(Boolean);
      return wild.length > 0
        ? [{ path: ['rules', rule.index], evidence: `rule ${rule.index} has * in ${wild.join(' and ')}` }]
        : [];
    }),
};
