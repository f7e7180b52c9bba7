import type { ObjectCheck, Violation } from '../check.js';
import { userRulesOf } from './rbac-defaults.js';
import { describeRule, grants, RBAC_URL } from './rbac-rules.js';
import { mitre } from './references.js';

// nodes/proxy reaches the kubelet's API through the API server: /exec, /run, /attach and /pods on every
// node. The kubelet authorizes those as nodes/proxy alone, and a WebSocket exec upgrade is a GET, so
// `get` is enough for a shell in any pod on any node (RBAC good practices: "nodes/proxy").
const VERBS = ['get', 'create'];

export const rbacNodesProxy: ObjectCheck = {
  id: 'rbac-nodes-proxy',
  title: 'Role can reach the kubelet API (nodes/proxy)',
  severity: 'high',
  description:
    "nodes/proxy forwards requests to the kubelet's API, which runs commands in any container on the node (/exec, /run) without the pods/exec permission and outside the API server's audit of pod access.",
  remediation:
    'Remove nodes/proxy from the ClusterRole; monitoring agents need nodes/metrics or nodes/stats, not nodes/proxy.',
  references: [
    mitre('T1609'),
    { kind: 'url', id: 'RBAC good practices: nodes/proxy', url: `${RBAC_URL}#privilege-escalation-risks` },
  ],
  target: 'object',
  // Nodes are cluster-scoped: a namespaced Role cannot grant them.
  kinds: ['ClusterRole'],
  evaluate: (role) =>
    userRulesOf(role).flatMap((rule): Violation[] =>
      grants(rule, { group: '', resource: 'nodes', subresource: 'proxy' }, VERBS)
        ? [{ path: ['rules', rule.index], evidence: `${describeRule(rule)} allows nodes/proxy` }]
        : [],
    ),
};
