import { containersOf, describeContainer } from '../../kube/pod-template.js';
import { containerViolation, listOf, pssCheck, recordAt, show } from './pss-check.js';

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

export const capabilitiesBaseline = pssCheck({
  control: 'Capabilities',
  upstreamId: 'capabilities_baseline',
  level: 'baseline',
  slug: 'capabilities',
  title: 'Container adds capabilities beyond the default set',
  description:
    'Capabilities such as SYS_ADMIN, NET_ADMIN or NET_RAW give a container powers that lead to container escape or network attacks.',
  remediation: `Remove capabilities from securityContext.capabilities.add; only ${[...ALLOWED].join(', ')} may be added.`,
  evaluate(pod) {
    return containersOf(pod.spec).flatMap((entry) => {
      const added = listOf(recordAt(entry.container, 'securityContext', 'capabilities')?.add);
      const forbidden = added.filter((c) => typeof c !== 'string' || !ALLOWED.has(c));
      return forbidden.length > 0
        ? [
            containerViolation(
              pod,
              entry,
              ['securityContext', 'capabilities', 'add'],
              `${describeContainer(entry)} must not include ${forbidden.map(show).join(', ')} in securityContext.capabilities.add`,
            ),
          ]
        : [];
    });
  },
});
