import type { KubeObject } from './types.js';
import { isRecord } from './types.js';

/**
 * The pods of each node, as the aggregator publishes them for the agents (bucket `seco-pods`, key
 * `node.<node>`): agents attribute processes to pods without any access to the Kubernetes API.
 */
export const NODE_PODS_BUCKET = 'seco-pods';

export function nodePodsKey(node: string): string {
  return `node.${node.replace(/[^-_a-zA-Z0-9]/g, (c) => `_${c.charCodeAt(0).toString(16)}`)}`;
}

const pick = (from: unknown, keys: readonly string[]): Record<string, unknown> | undefined =>
  isRecord(from)
    ? Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]]))
    : undefined;

/** What runtime attribution and rules read of a pod; the rest (env values, volumes…) stays in the API. */
export function slimPod(pod: KubeObject): KubeObject {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const status = isRecord(pod.status) ? pod.status : {};
  const containers = (list: unknown) =>
    Array.isArray(list)
      ? list.map((c) => pick(c, ['name', 'image', 'securityContext'])).filter(Boolean)
      : undefined;
  const statuses = (list: unknown) =>
    Array.isArray(list)
      ? list.map((c) => pick(c, ['name', 'image', 'imageID', 'containerID'])).filter(Boolean)
      : undefined;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: pick(pod.metadata, ['name', 'namespace', 'uid', 'labels', 'ownerReferences']) ?? {},
    spec: {
      ...pick(spec, ['nodeName', 'securityContext', 'serviceAccountName', 'hostNetwork', 'hostPID']),
      containers: containers(spec.containers),
      initContainers: containers(spec.initContainers),
    },
    status: {
      ...pick(status, ['phase']),
      containerStatuses: statuses(status.containerStatuses),
      initContainerStatuses: statuses(status.initContainerStatuses),
    },
  };
}
