import { describeContainer, type PodTemplate } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import {
  containerViolation,
  containerViolations,
  pssCheck,
  show,
  usesUserNamespace,
  valueAtPath,
} from './pss-check.js';

const FIELD = ['securityContext', 'procMount'];

/** Containers whose procMount is anything but "Default" or unset (procMount_1_35_restricted upstream). */
export function procMountViolations(pod: PodTemplate): Violation[] {
  return containerViolations(pod, (entry) => {
    const value = valueAtPath(entry.container, FIELD);
    return value === undefined || value === 'Default'
      ? undefined
      : containerViolation(
          pod,
          entry,
          FIELD,
          `${describeContainer(entry)} must not set securityContext.procMount to ${show(value, 'string')}`,
        );
  });
}

// PSS baseline "/proc Mount Type" (check_procMount_baseline.go): Default or unset; since policy 1.35 any value is
// allowed in a user-namespaced pod (hostUsers: false), whose unmasked /proc is the namespace's own (KEP-127).
export const procMountBaseline = pssCheck({
  control: '/proc Mount Type',
  upstreamId: 'procMount_baseline',
  level: 'baseline',
  slug: 'proc-mount',
  title: 'Unmasked /proc mount',
  description: 'An Unmasked /proc exposes kernel interfaces the runtime normally hides from containers.',
  remediation:
    'Remove securityContext.procMount or set it to Default (or run the pod with hostUsers: false).',
  evaluate: (pod) => (usesUserNamespace(pod) ? [] : procMountViolations(pod)),
});

// PSS restricted "/proc Mount Type" (policy 1.35+, check_procMount_restricted.go, overrides the baseline check in
// restricted): Default or unset, even in a user namespace.
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
