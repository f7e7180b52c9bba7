import {
  type ContainerEntry,
  describeContainer,
  type PodTemplate,
  podContainers,
} from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import {
  containerViolation,
  podOrContainerEvidence,
  podViolation,
  pssCheck,
  show,
  usesUserNamespace,
  valueAtPath,
} from './pss-check.js';

const FIELD = ['securityContext', 'runAsNonRoot'];

// Only the boolean true is allowed: "true" (a string) is not a decoded true, and says so in the evidence.
const explicitBad = (subject: string, value: unknown) =>
  value === false
    ? `${subject} must not set securityContext.runAsNonRoot=false`
    : `${subject} must set securityContext.runAsNonRoot=true, not ${show(value, 'boolean')}`;

function containerViolations(pod: PodTemplate, entry: ContainerEntry, podTrue: boolean): Violation[] {
  const value = valueAtPath(entry.container, FIELD);
  if (value === true) return [];
  if (value !== undefined)
    return [containerViolation(pod, entry, FIELD, explicitBad(describeContainer(entry), value))];
  // Unset on the container: only a pod-level true covers it. The path names the missing field.
  return podTrue
    ? []
    : [
        containerViolation(
          pod,
          entry,
          FIELD,
          podOrContainerEvidence(entry, 'must set securityContext.runAsNonRoot=true'),
        ),
      ];
}

// PSS restricted "Running as Non-root" (check_runAsNonRoot.go): runAsNonRoot=true at pod level, or on every
// container that does not inherit it; an explicit false anywhere — pod or container — is a violation, even when the
// other level says true. Skipped for user-namespaced pods (hostUsers: false) since policy 1.35.
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
    const podValue = valueAtPath(pod.spec, FIELD);
    const violations: Violation[] =
      podValue === undefined || podValue === true
        ? []
        : [podViolation(pod, FIELD, explicitBad('pod', podValue))];
    for (const entry of podContainers(pod))
      for (const v of containerViolations(pod, entry, podValue === true)) violations.push(v);
    return violations;
  },
});
