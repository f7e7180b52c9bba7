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
  valueAt,
} from './pss-check.js';

const CAPS = ['securityContext', 'capabilities'];

function containerCapabilities(pod: PodTemplate, entry: ContainerEntry): Violation[] {
  const violations: Violation[] = [];
  const who = describeContainer(entry);
  // Exact, case-sensitive "ALL", as upstream compares: "all" does not drop anything at this check.
  if (!listOf(valueAt(entry.container, ...CAPS, 'drop')).includes('ALL')) {
    violations.push(
      containerViolation(
        pod,
        entry,
        [...CAPS, 'drop'],
        containerEvidence(entry, 'must set securityContext.capabilities.drop=["ALL"]'),
      ),
    );
  }
  const added = valueAt(entry.container, ...CAPS, 'add');
  if (added !== undefined && !Array.isArray(added)) {
    violations.push(
      containerViolation(
        pod,
        entry,
        [...CAPS, 'add'],
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
        [...CAPS, 'add', index],
        `${who} must not include ${show(capability)} in securityContext.capabilities.add`,
      ),
    );
  });
  return violations;
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
  evaluate: (pod) =>
    isWindowsPod(pod) ? [] : podContainers(pod).flatMap((entry) => containerCapabilities(pod, entry)),
});
