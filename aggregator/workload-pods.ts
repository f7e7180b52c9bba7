import type { KubeView } from '../core/kube/kube-view.js';
import { labelsOf, selectorMatches } from '../core/kube/label-selector.js';
import type { KubeObject } from '../core/kube/types.js';
import { isRecord } from '../core/kube/types.js';

/** The kinds a bare `ns/name` may be, tried in this order (the way people name their apps). */
export const TARGET_KINDS = [
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'CronJob',
  'Job',
  'Pod',
  'ReplicaSet',
] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];

interface OwnerReference {
  kind?: string;
  name?: string;
  uid?: string;
  controller?: boolean;
}

export function ownerReferences(object: KubeObject): OwnerReference[] {
  const refs = object.metadata?.ownerReferences;
  return Array.isArray(refs) ? refs.filter(isRecord) : [];
}

function ownedBy(object: KubeObject, owner: KubeObject): boolean {
  const uid = owner.metadata?.uid;
  return ownerReferences(object).some((ref) =>
    uid ? ref.uid === uid : ref.kind === owner.kind && ref.name === owner.metadata?.name,
  );
}

/**
 * The pods a workload runs, as its controller finds them: by its `spec.selector` within its namespace
 * (an absent or empty selector selects none: the API refuses such workloads, and "every pod" would be
 * a wrong answer), CronJobs through the Jobs they own.
 */
export async function podsOfWorkload(kube: KubeView, workload: KubeObject): Promise<KubeObject[]> {
  const namespace = workload.metadata?.namespace;
  if (workload.kind === 'Pod') return [workload];
  if (workload.kind === 'CronJob') {
    const jobs = (await kube.list('Job', { namespace })).filter((job) => ownedBy(job, workload));
    return (await Promise.all(jobs.map((job) => podsOfWorkload(kube, job)))).flat();
  }
  const spec = isRecord(workload.spec) ? workload.spec : {};
  const selector = spec.selector;
  if (!isRecord(selector) || Object.keys(selector).length === 0) return [];
  const pods = await kube.list('Pod', { namespace });
  return pods.filter((pod) => selectorMatches(selector, labelsOf(pod)));
}

/** Owners already looked up in one resolution: a ReplicaSet's 50 pods cost one lookup, not 50. */
export type OwnerCache = Map<string, Promise<KubeObject | undefined>>;

/**
 * The top-level object that owns a pod (Pod → ReplicaSet → Deployment, Pod → Job → CronJob), so a
 * selector scan checks the Deployment once rather than each of its pods. Stops where an owner cannot
 * be read (deleted, or not visible): then the last object found is the top.
 */
export async function topOwner(
  kube: KubeView,
  object: KubeObject,
  cache: OwnerCache = new Map(),
  depth = 0,
): Promise<KubeObject> {
  const controller = ownerReferences(object).find((ref) => ref.controller === true);
  if (!controller?.kind || !controller.name || depth > 4) return object;
  if (!(TARGET_KINDS as readonly string[]).includes(controller.kind)) return object;
  const namespace = object.metadata?.namespace;
  const key = `${controller.kind}/${namespace ?? ''}/${controller.name}`;
  let lookup = cache.get(key);
  if (!lookup) {
    lookup = kube.get(controller.kind, namespace, controller.name);
    cache.set(key, lookup);
  }
  const owner = await lookup;
  return owner ? topOwner(kube, owner, cache, depth + 1) : object;
}
