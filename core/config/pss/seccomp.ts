import { containersOf, type PodTemplate } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import {
  containerLabel,
  containerViolation,
  isWindowsPod,
  podViolation,
  pssCheck,
  recordAt,
  show,
} from './pss-check.js';

const VALID = new Set(['RuntimeDefault', 'Localhost']);
const profileOf = (holder: unknown) => recordAt(holder, 'securityContext', 'seccompProfile');

// PSS baseline "Seccomp": a profile that is set must be RuntimeDefault or Localhost — Unconfined is not (check_seccompProfile_baseline.go, 1.19+).
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
    const violations: Violation[] = [];
    const podProfile = profileOf(pod.spec);
    if (podProfile && !VALID.has(podProfile.type as string)) {
      violations.push(
        podViolation(
          pod,
          ['securityContext', 'seccompProfile', 'type'],
          `pod must not set securityContext.seccompProfile.type=${show(podProfile.type)}`,
        ),
      );
    }
    for (const entry of containersOf(pod.spec)) {
      const profile = profileOf(entry.container);
      if (profile && !VALID.has(profile.type as string)) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'seccompProfile', 'type'],
            `${containerLabel(entry)} must not set securityContext.seccompProfile.type=${show(profile.type)}`,
          ),
        );
      }
    }
    return violations;
  },
});

function restrictedViolations(pod: PodTemplate): Violation[] {
  const violations: Violation[] = [];
  const podProfile = profileOf(pod.spec);
  const podValid = podProfile !== undefined && VALID.has(podProfile.type as string);
  if (podProfile && !podValid) {
    violations.push(
      podViolation(
        pod,
        ['securityContext', 'seccompProfile', 'type'],
        `pod must not set securityContext.seccompProfile.type=${show(podProfile.type)}`,
      ),
    );
  }
  for (const entry of containersOf(pod.spec)) {
    const profile = profileOf(entry.container);
    if (profile) {
      if (!VALID.has(profile.type as string)) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'seccompProfile', 'type'],
            `${containerLabel(entry)} must not set securityContext.seccompProfile.type=${show(profile.type)}`,
          ),
        );
      }
    } else if (!podValid) {
      violations.push(
        containerViolation(
          pod,
          entry,
          ['securityContext'],
          `pod or ${containerLabel(entry)} must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"`,
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
