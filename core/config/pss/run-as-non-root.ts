import { containersOf, describeContainer } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, podViolation, pssCheck, recordAt, usesUserNamespace } from './pss-check.js';

// PSS restricted "Running as Non-root" (check_runAsNonRoot.go): runAsNonRoot=true at pod level, or on every
// container that does not inherit it; an explicit false anywhere is a violation. Skipped for user-namespaced
// pods (hostUsers: false) since policy 1.35.
export const runAsNonRoot = pssCheck({
  control: 'Running as Non-root',
  upstreamId: 'runAsNonRoot',
  level: 'restricted',
  slug: 'run-as-non-root',
  title: 'Containers may run as root',
  description: 'Without runAsNonRoot the kubelet starts an image whose user is root as root.',
  remediation: 'Set spec.securityContext.runAsNonRoot: true (and do not set it to false on any container).',
  evaluate(pod) {
    if (usesUserNamespace(pod)) return [];
    const violations: Violation[] = [];
    const podValue = recordAt(pod.spec, 'securityContext')?.runAsNonRoot;
    if (podValue !== undefined && podValue !== true) {
      violations.push(
        podViolation(
          pod,
          ['securityContext', 'runAsNonRoot'],
          'pod must not set securityContext.runAsNonRoot=false',
        ),
      );
    }
    for (const entry of containersOf(pod.spec)) {
      const value = recordAt(entry.container, 'securityContext')?.runAsNonRoot;
      if (value === undefined) {
        if (podValue !== true) {
          violations.push(
            containerViolation(
              pod,
              entry,
              ['securityContext'],
              `pod or ${describeContainer(entry)} must set securityContext.runAsNonRoot=true`,
            ),
          );
        }
      } else if (value !== true) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'runAsNonRoot'],
            `${describeContainer(entry)} must not set securityContext.runAsNonRoot=false`,
          ),
        );
      }
    }
    return violations;
  },
});
