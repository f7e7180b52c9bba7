import type { ObjectCheck } from '../check.js';
import { cis, mitre } from './container-check.js';
import { RBAC_URL, ROLE_KINDS, rulesOf } from './rbac-rules.js';

const ESCALATING = ['escalate', 'bind', 'impersonate'];

export const rbacEscalationVerbs: ObjectCheck = {
  id: 'rbac-escalation-verbs',
  title: 'Role grants escalate, bind or impersonate',
  severity: 'high',
  description:
    'escalate and bind let a subject grant itself any permission; impersonate lets it act as any user, group or service account.',
  remediation: 'Remove these verbs; only cluster administrators should hold them.',
  references: [cis('5.1.8'), mitre('T1078'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    rulesOf(role).flatMap((rule) => {
      const verbs = rule.verbs.filter((v) => ESCALATING.includes(v));
      return verbs.length > 0
        ? [
            {
              path: ['rules', rule.index, 'verbs'],
              evidence: `rule ${rule.index} grants ${verbs.join(', ')} on ${rule.resources.join(',') || '(no resources)'}`,
            },
          ]
        : [];
    }),
};
