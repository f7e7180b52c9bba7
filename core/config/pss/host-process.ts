import { describeContainer, podContainers } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, notFalseEvidence, podViolation, pssCheck, valueAtPath } from './pss-check.js';

const FIELD = ['securityContext', 'windowsOptions', 'hostProcess'];
const FIELD_NAME = FIELD.join('.');

// PSS baseline "HostProcess": windowsOptions.hostProcess must be false or unset, pod and every container
// (check_windowsHostProcess.go).
export const hostProcess = pssCheck({
  control: 'HostProcess',
  upstreamId: 'windowsHostProcess',
  level: 'baseline',
  slug: 'host-process',
  title: 'Windows HostProcess containers',
  description: 'HostProcess containers run directly on the Windows host with full access to it.',
  remediation:
    'Remove securityContext.windowsOptions.hostProcess or set it to false, in the pod and every container.',
  evaluate(pod) {
    const violations: Violation[] = [];
    const podEvidence = notFalseEvidence('pod', FIELD_NAME, valueAtPath(pod.spec, FIELD));
    if (podEvidence) violations.push(podViolation(pod, FIELD, podEvidence));
    for (const entry of podContainers(pod)) {
      const evidence = notFalseEvidence(
        describeContainer(entry),
        FIELD_NAME,
        valueAtPath(entry.container, FIELD),
      );
      if (evidence) violations.push(containerViolation(pod, entry, FIELD, evidence));
    }
    return violations;
  },
});
