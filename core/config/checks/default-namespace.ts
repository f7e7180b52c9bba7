import { WORKLOAD_KINDS } from '../../kube/pod-template.js';
import type { ObjectCheck } from '../check.js';
import { cis, nsa } from './references.js';

export const defaultNamespace: ObjectCheck = {
  id: 'default-namespace',
  title: 'Workload runs in the default namespace',
  severity: 'low',
  description:
    'The default namespace mixes unrelated workloads, so RBAC, quotas, NetworkPolicies and Pod Security labels cannot be scoped to one app (CIS 5.7.4). Only workloads with an explicit `namespace: default` are flagged: a manifest without a namespace is applied to whatever namespace the deployer targets (kubectl -n, kustomize, Helm, the current context), which the file cannot tell.',
  remediation: 'Give each application its own namespace and set metadata.namespace accordingly.',
  references: [cis('5.7.4'), nsa('Namespaces')],
  target: 'object',
  kinds: WORKLOAD_KINDS,
  evaluate: (object) =>
    object.metadata?.namespace === 'default'
      ? [{ path: ['metadata', 'namespace'], evidence: `${object.kind} is in namespace "default"` }]
      : [],
};
