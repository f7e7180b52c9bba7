import { containersOf, describeContainer } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, podViolation, pssCheck, recordAt, show } from './pss-check.js';

// PSS baseline "SELinux": type among the container types (container_engine_t since policy 1.31); user and role unset
// (check_seLinuxOptions.go). The level is not restricted.
const ALLOWED_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

function problems(options: Record<string, unknown>): string[] {
  const found: string[] = [];
  if (options.type !== undefined && !ALLOWED_TYPES.has(options.type as string))
    found.push(`type=${show(options.type)}`);
  for (const field of ['user', 'role'] as const) {
    if (options[field] !== undefined && options[field] !== '') found.push(`${field}=${show(options[field])}`);
  }
  return found;
}

export const seLinux = pssCheck({
  control: 'SELinux',
  upstreamId: 'seLinuxOptions',
  level: 'baseline',
  slug: 'selinux',
  title: 'Custom SELinux options',
  description: 'A custom SELinux type, user or role can lift the confinement SELinux gives containers.',
  remediation:
    'Remove seLinuxOptions.user and .role, and use a container type (container_t, container_init_t, container_kvm_t, container_engine_t) or none.',
  evaluate(pod) {
    const violations: Violation[] = [];
    const podOptions = recordAt(pod.spec, 'securityContext', 'seLinuxOptions');
    const podProblems = podOptions ? problems(podOptions) : [];
    if (podProblems.length > 0) {
      violations.push(
        podViolation(
          pod,
          ['securityContext', 'seLinuxOptions'],
          `pod must not set securityContext.seLinuxOptions ${podProblems.join(', ')}`,
        ),
      );
    }
    for (const entry of containersOf(pod.spec)) {
      const options = recordAt(entry.container, 'securityContext', 'seLinuxOptions');
      const found = options ? problems(options) : [];
      if (found.length > 0) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'seLinuxOptions'],
            `${describeContainer(entry)} must not set securityContext.seLinuxOptions ${found.join(', ')}`,
          ),
        );
      }
    }
    return violations;
  },
});
