import {
  type ContainerEntry,
  describeContainer,
  type PodTemplate,
  podContainers,
} from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { profileState } from './profile-type.js';
import {
  containerViolation,
  isWindowsPod,
  podOrContainerEvidence,
  podViolation,
  pssCheck,
} from './pss-check.js';

const TYPE_PATH = ['securityContext', 'seccompProfile', 'type'];
const TYPE_FIELD = 'securityContext.seccompProfile.type';
const MUST_SET = `must set ${TYPE_FIELD} to "RuntimeDefault" or "Localhost"`;

function forbiddenPodProfile(pod: PodTemplate): Violation[] {
  const state = profileState(pod.spec, 'seccompProfile');
  return state.state === 'forbidden'
    ? [podViolation(pod, TYPE_PATH, `pod must not set ${TYPE_FIELD} to ${state.shown}`)]
    : [];
}

function forbiddenContainerProfile(pod: PodTemplate, entry: ContainerEntry, shown: string): Violation {
  return containerViolation(
    pod,
    entry,
    TYPE_PATH,
    `${describeContainer(entry)} must not set ${TYPE_FIELD} to ${shown}`,
  );
}

// PSS baseline "Seccomp" (check_seccompProfile_baseline.go, policy 1.19+): a profile that is set, on the pod or any
// container, must be RuntimeDefault or Localhost; unset is allowed. The seccomp.security.alpha.kubernetes.io
// annotations were checked only before policy 1.19 and are ignored at the latest version.
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
    const violations = forbiddenPodProfile(pod);
    for (const entry of podContainers(pod)) {
      const state = profileState(entry.container, 'seccompProfile');
      if (state.state === 'forbidden') violations.push(forbiddenContainerProfile(pod, entry, state.shown));
    }
    return violations;
  },
});

function restrictedViolations(pod: PodTemplate): Violation[] {
  const violations = forbiddenPodProfile(pod);
  // Only an allowed pod-level profile covers containers that set none; a forbidden one covers nothing.
  const podAllowed = profileState(pod.spec, 'seccompProfile').state === 'allowed';
  for (const entry of podContainers(pod)) {
    const state = profileState(entry.container, 'seccompProfile');
    if (state.state === 'forbidden') violations.push(forbiddenContainerProfile(pod, entry, state.shown));
    else if (state.state === 'unset' && !podAllowed) {
      violations.push(containerViolation(pod, entry, TYPE_PATH, podOrContainerEvidence(entry, MUST_SET)));
    }
  }
  return violations;
}

// PSS restricted "Seccomp" (check_seccompProfile_restricted.go): RuntimeDefault or Localhost must be set at pod
// level or on every container; a container's own allowed profile covers it, but a forbidden type anywhere — even a
// pod-level Unconfined under containers that all set RuntimeDefault — is a violation. Windows pods are exempt from
// policy 1.25.
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
