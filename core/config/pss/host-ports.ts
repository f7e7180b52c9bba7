import { describeContainer, podContainers } from '../../kube/pod-template.js';
import { containerViolation, isRecord, listOf, pssCheck, show, valueAt } from './pss-check.js';

// PSS baseline "Host Ports": ports[*].hostPort must be 0 or unset, every container kind (check_hostPorts.go).
// Only the number 0 counts as 0: a string "8080" is a host port all the same.
export const hostPorts = pssCheck({
  control: 'Host Ports',
  upstreamId: 'hostPorts',
  level: 'baseline',
  slug: 'host-ports',
  title: 'Container binds a port on the host',
  description:
    'A hostPort opens the node’s own network interface to the container and bypasses NetworkPolicies.',
  remediation: 'Remove hostPort from the container ports and expose the pod through a Service instead.',
  evaluate(pod) {
    return podContainers(pod).flatMap((entry) =>
      listOf(entry.container.ports).flatMap((port, index) => {
        const hostPort = isRecord(port) ? valueAt(port, 'hostPort') : undefined;
        return hostPort === undefined || hostPort === 0
          ? []
          : [
              containerViolation(
                pod,
                entry,
                ['ports', index, 'hostPort'],
                `${describeContainer(entry)} must not use hostPort ${show(hostPort, 'number')}`,
              ),
            ];
      }),
    );
  },
});
