import type { KubeView } from '../core/kube/kube-view.js';
import type { KubeObject } from '../core/kube/types.js';
import { isRecord } from '../core/kube/types.js';
import type { ScanTarget } from '../core/protocol/index.js';
import { type OwnerCache, podsOfWorkload, TARGET_KINDS, topOwner } from './workload-pods.js';

/** A target that names nothing the cluster has: the client gets `not-found`. */
export class TargetNotFoundError extends Error {}

export interface ResolvedApp {
  /** How the report names the target: `shop/deployment/web`, `shop -l app=web`. */
  name: string;
  /** What the config scan checks: the workloads and the bare pods no workload owns. */
  workloads: KubeObject[];
  /** Their pods as they run now. */
  pods: KubeObject[];
}

/**
 * `ns/app` to what runs: by kind when one is given, else the first kind that has an object of that
 * name (Deployment, StatefulSet, DaemonSet, CronJob, Job, Pod, ReplicaSet); by label selector, the
 * matching pods and the workloads that own them.
 */
export async function resolveTarget(kube: KubeView, target: ScanTarget): Promise<ResolvedApp> {
  const namespace = target.allNamespaces ? undefined : (target.namespace ?? 'default');
  if (target.name !== undefined) {
    const kinds = target.kind ? [target.kind] : TARGET_KINDS;
    for (const kind of kinds) {
      const workload = await kube.get(kind, namespace, target.name);
      if (!workload) continue;
      return {
        name: `${workload.metadata?.namespace ?? namespace ?? ''}/${kind.toLowerCase()}/${target.name}`,
        workloads: [workload],
        pods: await podsOfWorkload(kube, workload),
      };
    }
    throw new TargetNotFoundError(
      `no ${kinds.join(', ')} named ${JSON.stringify(target.name)} in ${namespace ? `namespace ${namespace}` : 'any namespace'}`,
    );
  }
  const pods = await kube.list('Pod', { namespace, labelSelector: target.selector });
  if (pods.length === 0)
    throw new TargetNotFoundError(
      `no pods match ${target.selector ? `-l ${target.selector}` : 'the target'} in ${namespace ? `namespace ${namespace}` : 'any namespace'}`,
    );
  const owners = new Map<string, KubeObject>();
  const cache: OwnerCache = new Map();
  for (const pod of pods) {
    const owner = await topOwner(kube, pod, cache);
    owners.set(`${owner.kind}/${owner.metadata?.namespace}/${owner.metadata?.name}`, owner);
  }
  return {
    name: `${namespace ?? '*'}${target.selector ? ` -l ${target.selector}` : ''}`,
    workloads: [...owners.values()],
    pods,
  };
}

/** An image as the node runs it: the reference from the pod spec, the digest the kubelet resolved. */
export interface RunningImage {
  image: string;
  digest?: string;
  /** Nodes that have it: its job goes to the first, whose runtime already pulled it. */
  nodes: string[];
  pullSecrets: Array<{ namespace: string; name: string }>;
}

const DIGEST = /sha256:[0-9a-f]{64}/;

/** Distinct images of the pods, by digest where the kubelet reported one (else by reference). */
export function runningImages(pods: readonly KubeObject[]): RunningImage[] {
  const byKey = new Map<string, RunningImage>();
  for (const pod of pods) {
    const spec = isRecord(pod.spec) ? pod.spec : {};
    const status = isRecord(pod.status) ? pod.status : {};
    const node = nodeOf(pod);
    const specImages = new Map<string, string>();
    for (const field of ['initContainers', 'containers'] as const)
      for (const c of Array.isArray(spec[field]) ? spec[field] : [])
        if (isRecord(c) && typeof c.name === 'string' && typeof c.image === 'string')
          specImages.set(c.name, c.image);
    const statuses = [
      ...(Array.isArray(status.initContainerStatuses) ? status.initContainerStatuses : []),
      ...(Array.isArray(status.containerStatuses) ? status.containerStatuses : []),
    ].filter(isRecord);
    const namespace = pod.metadata?.namespace ?? 'default';
    const pullSecrets = (Array.isArray(spec.imagePullSecrets) ? spec.imagePullSecrets : [])
      .filter((s): s is { name: string } => isRecord(s) && typeof s.name === 'string')
      .map((s) => ({ namespace, name: s.name }));
    for (const [name, image] of specImages) {
      const reported = statuses.find((s) => s.name === name);
      const digest = typeof reported?.imageID === 'string' ? DIGEST.exec(reported.imageID)?.[0] : undefined;
      const key = digest ?? image;
      const entry = byKey.get(key) ?? { image, ...(digest ? { digest } : {}), nodes: [], pullSecrets: [] };
      if (node && !entry.nodes.includes(node)) entry.nodes.push(node);
      for (const secret of pullSecrets)
        if (!entry.pullSecrets.some((s) => s.namespace === secret.namespace && s.name === secret.name))
          entry.pullSecrets.push(secret);
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()];
}

export interface NodeContainers {
  node: string;
  containers: Array<{ containerId: string; pod: string; namespace: string; name: string }>;
}

/** The app's running containers per node, for runtime snapshot jobs. */
export function containersByNode(pods: readonly KubeObject[]): NodeContainers[] {
  const byNode = new Map<string, NodeContainers>();
  for (const pod of pods) {
    const spec = isRecord(pod.spec) ? pod.spec : {};
    const status = isRecord(pod.status) ? pod.status : {};
    if (typeof spec.nodeName !== 'string') continue;
    const entry = byNode.get(spec.nodeName) ?? { node: spec.nodeName, containers: [] };
    for (const s of Array.isArray(status.containerStatuses) ? status.containerStatuses : []) {
      if (!isRecord(s) || typeof s.containerID !== 'string' || typeof s.name !== 'string') continue;
      entry.containers.push({
        containerId: s.containerID.slice(0, 128),
        pod: pod.metadata?.name ?? '',
        namespace: pod.metadata?.namespace ?? 'default',
        name: s.name,
      });
    }
    byNode.set(spec.nodeName, entry);
  }
  return [...byNode.values()];
}

/** The node a pod is scheduled on; a pending pod has none. */
export function nodeOf(pod: KubeObject): string | undefined {
  const node = isRecord(pod.spec) ? pod.spec.nodeName : undefined;
  return typeof node === 'string' && node !== '' ? node : undefined;
}

/** Nodes the pods are scheduled on; pending pods have none. */
export function nodesOf(pods: readonly KubeObject[]): string[] {
  return [...new Set(pods.map(nodeOf).filter((n): n is string => n !== undefined))].sort();
}
