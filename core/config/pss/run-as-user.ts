import { describeContainer, podContainers } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, podViolation, pssCheck, usesUserNamespace, valueAtPath } from './pss-check.js';

const FIELD = ['securityContext', 'runAsUser'];

// A string "0" cannot reach the API as an integer, but a manifest that says it means root: treat it as 0.
const isRoot = (value: unknown) => value === 0 || value === '0';

// PSS restricted "Running as Non-root user" (check_runAsUser.go, 1.23+): runAsUser must not be 0, pod or any
// container; unset is allowed. Skipped for user-namespaced pods (hostUsers: false) since policy 1.35.
export const runAsUser = pssCheck({
  control: 'Running as Non-root user',
  upstreamId: 'runAsUser',
  level: 'restricted',
  slug: 'run-as-user',
  title: 'Container runs as UID 0',
  description: 'runAsUser: 0 runs the container’s processes as root.',
  remediation: 'Set runAsUser to a non-zero UID, or remove it and let the image’s non-root user apply.',
  evaluate(pod) {
    if (usesUserNamespace(pod)) return [];
    const violations: Violation[] = [];
    if (isRoot(valueAtPath(pod.spec, FIELD)))
      violations.push(podViolation(pod, FIELD, 'pod must not set securityContext.runAsUser=0'));
    for (const entry of podContainers(pod)) {
      if (isRoot(valueAtPath(entry.container, FIELD))) {
        violations.push(
          containerViolation(
            pod,
            entry,
            FIELD,
            `${describeContainer(entry)} must not set securityContext.runAsUser=0`,
          ),
        );
      }
    }
    return violations;
  },
});
