import { containersOf, describeContainer } from '../../kube/pod-template.js';
import { containerViolation, isWindowsPod, pssCheck, recordAt } from './pss-check.js';

// PSS restricted "Privilege Escalation": allowPrivilegeEscalation must be explicitly false on every container
// (check_allowPrivilegeEscalation.go); Windows pods are exempt from policy 1.25.
export const privilegeEscalation = pssCheck({
  control: 'Privilege Escalation',
  upstreamId: 'allowPrivilegeEscalation',
  level: 'restricted',
  slug: 'privilege-escalation',
  title: 'Privilege escalation not disabled',
  description:
    'Unless it is disabled, a process can gain more privileges than its parent (set-uid binaries, file capabilities).',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  evaluate(pod) {
    if (isWindowsPod(pod)) return [];
    return containersOf(pod.spec).flatMap((entry) =>
      recordAt(entry.container, 'securityContext')?.allowPrivilegeEscalation === false
        ? []
        : [
            containerViolation(
              pod,
              entry,
              ['securityContext', 'allowPrivilegeEscalation'],
              `${describeContainer(entry)} must set securityContext.allowPrivilegeEscalation=false`,
            ),
          ],
    );
  },
});
