import { containersOf, describeContainer } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, podViolation, pssCheck, recordAt } from './pss-check.js';

// PSS baseline "HostProcess": windowsOptions.hostProcess must be false or unset, pod and containers (check_windowsHostProcess.go).
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
    const podValue = recordAt(pod.spec, 'securityContext', 'windowsOptions')?.hostProcess;
    if (podValue !== undefined && podValue !== false) {
      violations.push(
        podViolation(
          pod,
          ['securityContext', 'windowsOptions', 'hostProcess'],
          'pod must not set securityContext.windowsOptions.hostProcess=true',
        ),
      );
    }
    for (const entry of containersOf(pod.spec)) {
      const value = recordAt(entry.container, 'securityContext', 'windowsOptions')?.hostProcess;
      if (value !== undefined && value !== false) {
        violations.push(
          containerViolation(
            pod,
            entry,
            ['securityContext', 'windowsOptions', 'hostProcess'],
            `${describeContainer(entry)} must not set securityContext.windowsOptions.hostProcess=true`,
          ),
        );
      }
    }
    return violations;
  },
});
