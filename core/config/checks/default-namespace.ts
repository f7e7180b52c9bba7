import { WORKLOAD_KINDS } from '../../kube/pod-template.js';
import type { ObjectCheck } from '../check.js';
import { nsa } from './container-check.js';

// Only an explicit `namespace: default` is flagged: a manifest without a namespace is applied to whatever
// namespace the deployer targets (kubectl -n, kustomize, Helm), which is not knowable from the file.
export const defaultNamespace: ObjectCheck = {
  id: 'default-namespace',
  title: 'Workload runs in the default namespace',
  severity: 'low',
  description:
    'The default namespace mixes unrelated workloads, so RBAC, quotas, NetworkPolicies and Pod Security labels cannot be scoped to one app.',
  remediation: 'Give each application its own namespace and set metadata.namespace accordingly.',
  references: [nsa('Namespaces')],
  target: 'object',
  kinds: [...WORKLOAD_KINDS, 'Service', 'Secret', 'ConfigMap'],
  evaluate: (object) =>
    object.metadata?.namespace === 'default'
      ? [{ path: ['metadata', 'namespace'], evidence: `${object.kind} is in namespace "default"` }]
      : [],
};
