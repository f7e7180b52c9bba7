import { containersOf, describeContainer } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, isWindowsPod, listOf, pssCheck, recordAt, show } from './pss-check.js';

// PSS restricted "Capabilities" (check_capabilities_restricted.go): drop must include "ALL" and add may hold only
// NET_BIND_SERVICE, on every container; Windows pods are exempt from policy 1.25.
export const capabilitiesRestricted = pssCheck({
  control: 'Capabilities',
  upstreamId: 'capabilities_restricted',
  level: 'restricted',
  slug: 'capabilities',
  title: 'Capabilities not dropped',
  description: 'Restricted containers drop every capability and may add back only NET_BIND_SERVICE.',
  remediation: 'Set securityContext.capabilities.drop: ["ALL"], and add at most NET_BIND_SERVICE.',
  evaluate(pod) {
    if (isWindowsPod(pod)) return [];
    const violations: Violation[] = [];
    for (const entry of containersOf(pod.spec)) {
      const caps = recordAt(entry.container, 'securityContext', 'capabilities');
      if (!listOf(caps?.drop).includes('ALL')) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'capabilities', 'drop'],
            `${describeContainer(entry)} must set securityContext.capabilities.drop=["ALL"]`,
          ),
        );
      }
      const added = listOf(caps?.add).filter((c) => c !== 'NET_BIND_SERVICE');
      if (added.length > 0) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'capabilities', 'add'],
            `${describeContainer(entry)} must not include ${added.map(show).join(', ')} in securityContext.capabilities.add`,
          ),
        );
      }
    }
    return violations;
  },
});
