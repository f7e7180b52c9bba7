import { describeContainer, podContainers } from '../../kube/pod-template.js';
import type { Violation } from '../check.js';
import { containerViolation, pssCheck, show, valueAtPath } from './pss-check.js';

const HANDLERS: ReadonlyArray<readonly string[]> = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop'],
];

// Every handler's httpGet and tcpSocket host, in the order checked: paths built once, not per container.
const TARGETS = HANDLERS.flatMap((handler) =>
  ['httpGet', 'tcpSocket'].map((action) => ({
    path: [...handler, action, 'host'],
    field: [...handler, action].join('.'),
  })),
);

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
      for (const target of TARGETS) {
        const host = valueAtPath(entry.container, target.path);
        if (host === undefined || host === '') continue;
        violations.push(
          containerViolation(
            pod,
            entry,
            target.path,
            `${describeContainer(entry)} must not set ${target.field}.host=${show(host, 'string')}`,
          ),
        );
      }
    }
    return violations;
  },
});
