import { containersOf, describeContainer, type PodTemplate } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, pssCheck, recordAt, show, usesUserNamespace } from './pss-check.js';

/** Containers whose procMount is anything but Default or unset (check_procMount_baseline.go, procMount_1_0). */
export function procMountViolations(pod: PodTemplate): Violation[] {
  return containersOf(pod.spec).flatMap((entry) => {
    const value = recordAt(entry.container, 'securityContext')?.procMount;
    return value !== undefined && value !== 'Default'
      ? [
          containerViolation(
            pod,
            entry,
            ['securityContext', 'procMount'],
            `${describeContainer(entry)} must not set securityContext.procMount=${show(value)}`,
          ),
        ]
      : [];
  });
}

// PSS baseline "/proc Mount Type": Default or unset; since policy 1.35 any value is allowed in a user-namespaced
// pod (hostUsers: false), where an unmasked /proc is the namespace's own (KEP-127, KEP-4265).
export const procMountBaseline = pssCheck({
  control: '/proc Mount Type',
  upstreamId: 'procMount',
  level: 'baseline',
  slug: 'proc-mount',
  title: 'Unmasked /proc mount',
  description: 'An Unmasked /proc exposes kernel interfaces the runtime normally hides from containers.',
  remediation:
    'Remove securityContext.procMount or set it to Default (or run the pod with hostUsers: false).',
  evaluate: (pod) => (usesUserNamespace(pod) ? [] : procMountViolations(pod)),
});

// PSS restricted "/proc Mount Type" (policy 1.35+, procMount_restricted): Default or unset, even with user namespaces.
export const procMountRestricted = pssCheck({
  control: '/proc Mount Type',
  upstreamId: 'procMount_restricted',
  level: 'restricted',
  slug: 'proc-mount',
  title: 'Unmasked /proc mount (restricted)',
  description:
    'The restricted profile allows only the default, masked /proc, whatever the pod’s user namespace.',
  remediation: 'Remove securityContext.procMount or set it to Default.',
  evaluate: (pod) => procMountViolations(pod),
});
