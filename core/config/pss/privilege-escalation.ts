import {
  containerEvidence,
  containerViolation,
  containerViolations,
  isWindowsPod,
  pssCheck,
  show,
  valueAtPath,
} from './pss-check.js';

const FIELD = ['securityContext', 'allowPrivilegeEscalation'];

// PSS restricted "Privilege Escalation": allowPrivilegeEscalation must be explicitly false on every container,
// init and ephemeral container (check_allowPrivilegeEscalation.go); Windows pods are exempt from policy 1.25.
// Only the boolean false passes: unset, true, or "false" (a string) all fail.
export const privilegeEscalation = pssCheck({
  control: 'Privilege Escalation',
  upstreamId: 'allowPrivilegeEscalation',
  level: 'restricted',
  slug: 'privilege-escalation',
  title: 'Privilege escalation not disabled',
  description:
    'Unless it is disabled, a process can gain more privileges than its parent (set-uid binaries, file capabilities).',
  remediation: 'Set securityContext.allowPrivilegeEscalation: false on every container.',
  evaluate(pod) {
    if (isWindowsPod(pod)) return [];
    return containerViolations(pod, (entry) => {
      const value = valueAtPath(entry.container, FIELD);
      if (value === false) return undefined;
      const seen = value === undefined ? '' : `, not ${show(value, 'boolean')}`;
      return containerViolation(
        pod,
        entry,
        FIELD,
        containerEvidence(entry, `must set securityContext.allowPrivilegeEscalation=false${seen}`),
      );
    });
  },
});
