import {
  type ContainerEntry,
  containersOf,
  describeContainer,
  type PodTemplate,
} from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, isWindowsPod, podViolation, pssCheck, recordAt, show } from './pss-check.js';

const VALID = new Set(['RuntimeDefault', 'Localhost']);
const TYPE_PATH = ['securityContext', 'seccompProfile', 'type'];
const profileOf = (holder: unknown) => recordAt(holder, 'securityContext', 'seccompProfile');
const isValid = (profile: Record<string, unknown>) => VALID.has(profile.type as string);

function invalidPodProfile(pod: PodTemplate): Violation[] {
  const profile = profileOf(pod.spec);
  return profile && !isValid(profile)
    ? [
        podViolation(
          pod,
          TYPE_PATH,
          `pod must not set securityContext.seccompProfile.type=${show(profile.type)}`,
        ),
      ]
    : [];
}

function invalidContainerProfile(
  pod: PodTemplate,
  entry: ContainerEntry,
  profile: Record<string, unknown>,
): Violation {
  return containerViolation(
    pod,
    entry,
    TYPE_PATH,
    `${describeContainer(entry)} must not set securityContext.seccompProfile.type=${show(profile.type)}`,
  );
}

// PSS baseline "Seccomp": a profile that is set must be RuntimeDefault or Localhost — Unconfined is not
// (check_seccompProfile_baseline.go, 1.19+).
export const seccompBaseline = pssCheck({
  control: 'Seccomp',
  upstreamId: 'seccompProfile_baseline',
  level: 'baseline',
  slug: 'seccomp',
  title: 'Seccomp is explicitly disabled',
  description:
    'An Unconfined seccomp profile gives the container every system call, including those used in kernel exploits.',
  remediation: 'Set seccompProfile.type to RuntimeDefault (or Localhost), or remove the Unconfined profile.',
  evaluate(pod) {
    const violations = invalidPodProfile(pod);
    for (const entry of containersOf(pod.spec)) {
      const profile = profileOf(entry.container);
      if (profile && !isValid(profile)) violations.push(invalidContainerProfile(pod, entry, profile));
    }
    return violations;
  },
});

function restrictedViolations(pod: PodTemplate): Violation[] {
  const violations = invalidPodProfile(pod);
  const podProfile = profileOf(pod.spec);
  const podValid = podProfile !== undefined && isValid(podProfile);
  for (const entry of containersOf(pod.spec)) {
    const profile = profileOf(entry.container);
    if (profile) {
      if (!isValid(profile)) violations.push(invalidContainerProfile(pod, entry, profile));
    } else if (!podValid) {
      violations.push(
        containerViolation(
          pod,
          entry,
          ['securityContext'],
          `pod or ${describeContainer(entry)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
        ),
      );
    }
  }
  return violations;
}

// PSS restricted "Seccomp": RuntimeDefault or Localhost must be set at pod level or on every container
// (check_seccompProfile_restricted.go); Windows pods are exempt from policy 1.25.
export const seccompRestricted = pssCheck({
  control: 'Seccomp',
  upstreamId: 'seccompProfile_restricted',
  level: 'restricted',
  slug: 'seccomp',
  title: 'No seccomp profile',
  description:
    'Without a seccomp profile the container may make every system call; RuntimeDefault blocks the dangerous ones.',
  remediation:
    'Set spec.securityContext.seccompProfile.type: RuntimeDefault on the pod (or Localhost with a profile).',
  evaluate: (pod) => (isWindowsPod(pod) ? [] : restrictedViolations(pod)),
});
