import type { ObjectCheck } from '../check.js';
import { mitre } from './container-check.js';
import { grants, RBAC_URL, ROLE_KINDS, rulesOf } from './rbac-rules.js';

// kubectl exec is `create` on pods/exec; over WebSockets the upgrade is a GET, so `get` grants it too.
const VERBS = ['create', 'get'];

export const rbacPodsExec: ObjectCheck = {
  id: 'rbac-pods-exec',
  title: 'Role can exec or attach into pods',
  severity: 'high',
  description:
    'Exec and attach give a shell in every pod in scope, with their service-account tokens and secrets.',
  remediation:
    'Remove pods/exec and pods/attach from roles that do not strictly need them; prefer ephemeral debug workflows with approval.',
  references: [mitre('T1609'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    rulesOf(role).flatMap((rule) => {
      const sub = ['pods/exec', 'pods/attach'].filter((r) => grants(rule, r, VERBS));
      return sub.length > 0
        ? [{ path: ['rules', rule.index], evidence: `rule ${rule.index} allows ${sub.join(' and ')}` }]
        : [];
    }),
};
