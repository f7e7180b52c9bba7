import type { ObjectCheck, Violation } from '../check.js';
import { userRulesOf } from './rbac-defaults.js';
import { describeRule, grants, RBAC_URL, ROLE_KINDS, type Rule } from './rbac-rules.js';
import { mitre } from './references.js';

// `kubectl exec`/`attach` POST to pods/exec|attach (verb create). Over WebSockets the upgrade is a GET,
// which API servers authorize as `get` unless the AuthorizePodWebsocketUpgradeCreatePermission gate is on
// (KEP-4006), so `get` grants a shell too on most clusters.
const VERBS = ['create', 'get'];
const SUBRESOURCES = ['exec', 'attach'];

/** `pods/exec`, `pods/attach`: the ones the rule opens. */
export function execSubresources(rule: Rule): string[] {
  return SUBRESOURCES.filter((sub) =>
    grants(rule, { group: '', resource: 'pods', subresource: sub }, VERBS),
  ).map((sub) => `pods/${sub}`);
}

export const rbacPodsExec: ObjectCheck = {
  id: 'rbac-pods-exec',
  title: 'Role can exec or attach into pods',
  severity: 'high',
  description:
    "Exec and attach give a shell in every pod in scope, with the pod's service-account token, mounted Secrets and network position.",
  remediation:
    'Remove pods/exec and pods/attach from roles that do not strictly need them; prefer audited, approved debug workflows.',
  references: [mitre('T1609'), { kind: 'url', id: 'RBAC good practices', url: RBAC_URL }],
  target: 'object',
  kinds: ROLE_KINDS,
  evaluate: (role) =>
    userRulesOf(role).flatMap((rule): Violation[] => {
      const subresources = execSubresources(rule);
      return subresources.length > 0
        ? [
            {
              path: ['rules', rule.index],
              evidence: `${describeRule(rule)} allows ${subresources.join(' and ')}`,
            },
          ]
        : [];
    }),
};
