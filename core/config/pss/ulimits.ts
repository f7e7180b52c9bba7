import {
  containerEvidence,
  containerViolation,
  containerViolations,
  pssCheck,
  valueAtPath,
} from './pss-check.js';

const FIELD = ['securityContext', 'ulimits'];

// PSS baseline "Ulimits" (policy 1.37+, check_ulimits_baseline.go): securityContext.ulimits must be unset on every
// container, init and ephemeral container. Raised limits (nofile, memlock, core…) are node resources one pod can
// exhaust for all. Any value at all counts as set, even an empty one: upstream refuses a non-nil field, and a value
// seco cannot read as "no limits" is no safer.
export const ulimits = pssCheck({
  control: 'Ulimits',
  upstreamId: 'ulimits',
  level: 'baseline',
  slug: 'ulimits',
  title: 'Container sets resource limits (ulimits)',
  description:
    'Container ulimits change the kernel resource limits of the container’s processes; only the privileged profile allows them.',
  remediation: 'Remove securityContext.ulimits from every container.',
  evaluate(pod) {
    return containerViolations(pod, (entry) => {
      const value = valueAtPath(entry.container, FIELD);
      // The value is not quoted: a hostile list of any length would be copied into every finding.
      return value === undefined
        ? undefined
        : containerViolation(
            pod,
            entry,
            FIELD,
            containerEvidence(entry, 'must not set securityContext.ulimits'),
          );
    });
  },
});
