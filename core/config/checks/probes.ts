import type { PodTemplate } from '../../kube/pod-template.js';
import type { KubeObject } from '../../kube/types.js';
import type { PodCheck } from '../check.js';
import { containerCheck, regularContainers } from './container-check.js';

// Run-to-completion pods are not served traffic and are not restarted on a hung probe: Jobs,
// CronJobs, and bare Pods whose restartPolicy is Never or OnFailure.
const BATCH_KINDS = new Set(['Job', 'CronJob']);
function servesTraffic(object: KubeObject, pod: PodTemplate): boolean {
  if (BATCH_KINDS.has(object.kind ?? '')) return false;
  return !(
    object.kind === 'Pod' &&
    (pod.spec.restartPolicy === 'Never' || pod.spec.restartPolicy === 'OnFailure')
  );
}

// core/v1 ProbeHandler: exactly one of these makes a probe; `{}` is rejected by the API server.
const HANDLERS = ['exec', 'httpGet', 'tcpSocket', 'grpc'];
const isProbe = (probe: unknown) =>
  typeof probe === 'object' &&
  probe !== null &&
  HANDLERS.some(
    (h) =>
      typeof (probe as Record<string, unknown>)[h] === 'object' &&
      (probe as Record<string, unknown>)[h] !== null,
  );

function probeCheck(
  probe: 'livenessProbe' | 'readinessProbe',
  id: string,
  title: string,
  description: string,
): PodCheck {
  // Built once per check (containerCheck copies the path): the same two problems for every container.
  const missing = { path: [probe], evidence: `no ${probe}` };
  const noHandler = { path: [probe], evidence: `${probe} has no handler` };
  return containerCheck({
    id,
    title,
    severity: 'low',
    description: `${description} Only long-running containers are checked: not init or ephemeral containers, not Jobs, CronJobs or bare Pods with restartPolicy Never/OnFailure.`,
    remediation: `Add a ${probe} (httpGet, tcpSocket, grpc or exec) to the container.`,
    references: [
      {
        kind: 'url',
        id: 'Kubernetes: configure liveness, readiness and startup probes',
        url: 'https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/',
      },
    ],
    applies: (entry, pod, object) => regularContainers(entry) && servesTraffic(object, pod),
    problem: (entry) =>
      isProbe(entry.container[probe])
        ? undefined
        : entry.container[probe] === undefined
          ? missing
          : noHandler,
  });
}

export const PROBE_CHECKS: readonly PodCheck[] = [
  probeCheck(
    'livenessProbe',
    'probe-liveness-missing',
    'No liveness probe',
    'A hung container without a liveness probe is never restarted: the outage is silent.',
  ),
  probeCheck(
    'readinessProbe',
    'probe-readiness-missing',
    'No readiness probe',
    'Without a readiness probe, traffic reaches the container before it is ready and while it is failing.',
  ),
];
