import type { KubeObject } from '../../kube/types.js';
import type { PodCheck } from '../check.js';
import { containerCheck, regularContainers } from './container-check.js';

// Run-to-completion workloads are not served traffic and are not restarted on a hung probe.
const BATCH_KINDS = new Set(['Job', 'CronJob']);
const servesTraffic = (object: KubeObject) => !BATCH_KINDS.has(object.kind ?? '');

function probeCheck(
  probe: 'livenessProbe' | 'readinessProbe',
  id: string,
  title: string,
  description: string,
): PodCheck {
  return containerCheck({
    id,
    title,
    severity: 'low',
    description,
    remediation: `Add a ${probe} (httpGet, tcpSocket, grpc or exec) to the container.`,
    references: [
      {
        kind: 'url',
        id: 'Kubernetes: configure probes',
        url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
      },
    ],
    applies: (entry, _pod, object) => regularContainers(entry) && servesTraffic(object),
    problem: (entry) => (entry.container[probe] ? undefined : { path: [], evidence: `no ${probe}` }),
  });
}

export const PROBE_CHECKS: readonly PodCheck[] = [
  probeCheck(
    'livenessProbe',
    'probe-liveness-missing',
    'No liveness probe',
    'A hung container without a liveness probe is never restarted: availability suffers silently.',
  ),
  probeCheck(
    'readinessProbe',
    'probe-readiness-missing',
    'No readiness probe',
    'Without a readiness probe, traffic reaches the container before it is ready and while it is failing.',
  ),
];
