import { containersOf, describeContainer } from '../../kube/pod-template.js';
import { containerViolation, pssCheck, recordAt } from './pss-check.js';

// PSS baseline "Privileged Containers": securityContext.privileged false or unset (check_privileged.go).
export const privileged = pssCheck({
  control: 'Privileged Containers',
  upstreamId: 'privileged',
  level: 'baseline',
  slug: 'privileged',
  title: 'Privileged container',
  description: 'A privileged container has every capability and all host devices: it is root on the node.',
  remediation: 'Remove securityContext.privileged or set it to false.',
  evaluate(pod) {
    return containersOf(pod.spec).flatMap((entry) => {
      const value = recordAt(entry.container, 'securityContext')?.privileged;
      return value !== undefined && value !== false
        ? [
            containerViolation(
              pod,
              entry,
              ['securityContext', 'privileged'],
              `${describeContainer(entry)} must not set securityContext.privileged=true`,
            ),
          ]
        : [];
    });
  },
});
