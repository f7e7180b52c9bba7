import {
  type ContainerEntry,
  describeContainer,
  type PodTemplate,
  podContainers,
} from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, pssCheck, show, valueAtPath } from './pss-check.js';

// PSS baseline "Capabilities": only the container runtime's default set may be added (check_capabilities_baseline.go).
// Compared as exact strings, as upstream does: "CAP_CHOWN" or "chown" are not in the set.
const ALLOWED = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT',
]);

const ADD = ['securityContext', 'capabilities', 'add'];

function containerAdds(pod: PodTemplate, entry: ContainerEntry): Violation[] {
  const added = valueAtPath(entry.container, ADD);
  if (added === undefined) return [];
  // A non-list `add` cannot be shown to hold only allowed names: refused, like any value outside the set.
  if (!Array.isArray(added)) {
    return [
      containerViolation(
        pod,
        entry,
        ADD,
        `${describeContainer(entry)} must not set securityContext.capabilities.add=${show(added, 'array')}`,
      ),
    ];
  }
  return added.flatMap((capability, index) =>
    typeof capability === 'string' && ALLOWED.has(capability)
      ? []
      : [
          containerViolation(
            pod,
            entry,
            [...ADD, index],
            `${describeContainer(entry)} must not include ${show(capability)} in securityContext.capabilities.add`,
          ),
        ],
  );
}

export const capabilitiesBaseline = pssCheck({
  control: 'Capabilities',
  upstreamId: 'capabilities_baseline',
  level: 'baseline',
  slug: 'capabilities',
  title: 'Container adds capabilities beyond the default set',
  description:
    'Capabilities such as SYS_ADMIN, NET_ADMIN or NET_RAW give a container powers that lead to container escape or network attacks.',
  remediation: `Remove capabilities from securityContext.capabilities.add; only ${[...ALLOWED].join(', ')} may be added.`,
  evaluate: (pod) => podContainers(pod).flatMap((entry) => containerAdds(pod, entry)),
});
