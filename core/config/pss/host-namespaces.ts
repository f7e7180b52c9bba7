import type { Violation } from '../check.js';
import { notFalseEvidence, podViolation, pssCheck, valueAt } from './pss-check.js';

// PSS baseline "Host Namespaces": hostNetwork, hostPID, hostIPC must be false or unset (check_hostNamespaces.go).
export const hostNamespaces = pssCheck({
  control: 'Host Namespaces',
  upstreamId: 'hostNamespaces',
  level: 'baseline',
  slug: 'host-namespaces',
  title: 'Pod shares the host’s namespaces',
  description:
    'Sharing the host network, PID or IPC namespace lets the pod see and reach the node’s processes and traffic.',
  remediation: 'Remove hostNetwork, hostPID and hostIPC from the pod spec (or set them to false).',
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const field of ['hostNetwork', 'hostPID', 'hostIPC'] as const) {
      const evidence = notFalseEvidence('pod', field, valueAt(pod.spec, field));
      if (evidence) violations.push(podViolation(pod, [field], evidence));
    }
    return violations;
  },
});
