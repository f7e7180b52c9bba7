import { isRecord, type KubeObject } from '../../core/kube/types.js';
import type { ComponentStatus } from './status-report.js';

/** seco's workloads as manifests/ names them; NATS and Minio may run as either kind. */
export const COMPONENTS: ReadonlyArray<{ name: string; object: string; kinds: readonly string[] }> = [
  { name: 'nats', object: 'seco-nats', kinds: ['StatefulSet', 'Deployment'] },
  { name: 'minio', object: 'seco-minio', kinds: ['StatefulSet', 'Deployment'] },
  { name: 'aggregator', object: 'seco-aggregator', kinds: ['Deployment'] },
  { name: 'agent', object: 'seco-agent', kinds: ['DaemonSet'] },
];

const count = (value: unknown) => (typeof value === 'number' && value >= 0 ? value : 0);

/** `ghcr.io/seco-dev/seco:0.1.0@sha256:…` → `0.1.0`; a digest-only or untagged image has none. */
export function imageTag(image: string): string | undefined {
  const name = image.split('@')[0]!;
  const colon = name.lastIndexOf(':');
  return colon > name.lastIndexOf('/') ? name.slice(colon + 1) : undefined;
}

/** Replicas wanted and ready, and images, from a workload's spec and status (what `kubectl get` shows). */
export function componentStatus(
  name: string,
  object: string,
  workload: KubeObject | undefined,
): ComponentStatus {
  if (!workload) return { name, object, found: false, desired: 0, ready: 0, images: [] };
  const spec = isRecord(workload.spec) ? workload.spec : {};
  const status = isRecord(workload.status) ? workload.status : {};
  const template = isRecord(spec.template) && isRecord(spec.template.spec) ? spec.template.spec : {};
  const images = (Array.isArray(template.containers) ? template.containers : [])
    .map((c) => (isRecord(c) && typeof c.image === 'string' ? c.image : ''))
    .filter(Boolean);
  const daemon = workload.kind === 'DaemonSet';
  const desired = daemon
    ? count(status.desiredNumberScheduled)
    : typeof spec.replicas === 'number'
      ? spec.replicas
      : 1;
  const ready = daemon ? count(status.numberReady) : count(status.readyReplicas);
  const version = images[0] ? imageTag(images[0]) : undefined;
  return {
    name,
    kind: workload.kind,
    object,
    found: true,
    desired,
    ready,
    images,
    ...(version ? { version } : {}),
  };
}
