import { describeContainer, podContainers } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, pssCheck, show, valueAt } from './pss-check.js';

const HANDLERS: ReadonlyArray<readonly string[]> = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
];

// PSS baseline "Host Probes / Lifecycle Hooks" (policy 1.34+, check_hostProbesAndhostLifecycle.go): httpGet.host and
// tcpSocket.host must be empty or unset on probes and lifecycle handlers, or the kubelet can be made to connect
// anywhere on the node's behalf (the PSS page's "Host Probes / Lifecycle Hooks (v1.34+)").
export const hostProbes = pssCheck({
  control: 'Host Probes / Lifecycle Hooks',
  upstreamId: 'hostProbesAndHostLifecycle',
  level: 'baseline',
  slug: 'host-probes',
  title: 'Probe or lifecycle hook targets another host',
  description:
    'A probe or hook with a host makes the kubelet send requests to any address it can reach, from the node.',
  remediation:
    'Remove the host field from httpGet and tcpSocket probes and lifecycle handlers: they then target the pod.',
  evaluate(pod) {
    const violations: Violation[] = [];
    for (const entry of podContainers(pod)) {
      for (const handler of HANDLERS) {
        for (const action of ['httpGet', 'tcpSocket']) {
          const host = valueAt(entry.container, ...handler, action, 'host');
          if (host === undefined || host === '') continue;
          violations.push(
            containerViolation(
              pod,
              entry,
              [...handler, action, 'host'],
              `${describeContainer(entry)} must not set ${[...handler, action].join('.')}.host=${show(host, 'string')}`,
            ),
          );
        }
      }
    }
    return violations;
  },
});
