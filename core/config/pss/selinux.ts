import { describeContainer, podContainers } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import {
  containerViolation,
  isRecord,
  podViolation,
  pssCheck,
  show,
  valueAt,
  valueAtPath,
} from './pss-check.js';

// PSS baseline "SELinux" (check_seLinuxOptions.go): type empty/unset or one of the container types
// (container_engine_t since policy 1.31); user and role empty/unset. The level is not restricted.
const ALLOWED_TYPES = new Set([
  '',
  'container_t',
  'container_init_t',
  'container_kvm_t',
  'container_engine_t',
]);

/** What is wrong with one seLinuxOptions value; empty when nothing is. */
function problems(options: unknown): string[] {
  if (options === undefined) return [];
  if (!isRecord(options)) return [`seLinuxOptions=${show(options, 'object')}`];
  const found: string[] = [];
  const type = valueAt(options, 'type');
  if (type !== undefined && !(typeof type === 'string' && ALLOWED_TYPES.has(type)))
    found.push(`type ${show(type, 'string')}`);
  for (const field of ['user', 'role'] as const) {
    const value = valueAt(options, field);
    if (value !== undefined && value !== '') found.push(`${field} ${show(value, 'string')} may not be set`);
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
    const path = ['securityContext', 'seLinuxOptions'];
    const podProblems = problems(valueAtPath(pod.spec, path));
    if (podProblems.length > 0) {
      violations.push(
        podViolation(
          pod,
          path,
          `pod set forbidden securityContext.seLinuxOptions: ${podProblems.join('; ')}`,
        ),
      );
    }
    for (const entry of podContainers(pod)) {
      const found = problems(valueAtPath(entry.container, path));
      if (found.length === 0) continue;
      violations.push(
        containerViolation(
          pod,
          entry,
          path,
          `${describeContainer(entry)} set forbidden securityContext.seLinuxOptions: ${found.join('; ')}`,
        ),
      );
    }
    return violations;
  },
});
