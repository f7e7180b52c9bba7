import {
  type ContainerEntry,
  describeContainer,
  type PodTemplate,
  podContainers,
} from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import {
  containerEvidence,
  containerViolation,
  isWindowsPod,
  listOf,
  pssCheck,
  show,
  valueAtPath,
} from './pss-check.js';

const DROP = ['securityContext', 'capabilities', 'drop'];
const ADD = ['securityContext', 'capabilities', 'add'];

/** Adds one container's violations to `violations`. */
function containerCapabilities(pod: PodTemplate, entry: ContainerEntry, violations: Violation[]): void {
  const who = describeContainer(entry);
  // Exact, case-sensitive "ALL", as upstream compares: "all" does not drop anything at this check.
  if (!listOf(valueAtPath(entry.container, DROP)).includes('ALL')) {
    violations.push(
      containerViolation(
        pod,
        entry,
        DROP,
        containerEvidence(entry, 'must set securityContext.capabilities.drop=["ALL"]'),
      ),
    );
  }
  const added = valueAtPath(entry.container, ADD);
  if (added !== undefined && !Array.isArray(added)) {
    violations.push(
      containerViolation(
        pod,
        entry,
        ADD,
        `${who} must not set securityContext.capabilities.add=${show(added, 'array')}`,
      ),
    );
  }
  listOf(added).forEach((capability, index) => {
    if (capability === 'NET_BIND_SERVICE') return;
    violations.push(
      containerViolation(
        pod,
        entry,
        [...ADD, index],
        `${who} must not include ${show(capability)} in securityContext.capabilities.add`,
      ),
    );
  });
}

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
    const violations: Violation[] = [];
    if (!isWindowsPod(pod))
      for (const entry of podContainers(pod)) containerCapabilities(pod, entry, violations);
    return violations;
  },
});
