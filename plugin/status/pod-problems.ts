import { isRecord, type KubeObject } from '../../core/kube/types.js';

const list = (value: unknown) => (Array.isArray(value) ? value.filter(isRecord) : []);
const words = (...parts: unknown[]) => parts.filter((p) => typeof p === 'string' && p !== '').join(': ');

/** The node a daemon pod is for: where it is bound, else the node its `metadata.name` affinity names. */
export function podNode(pod: KubeObject): string | undefined {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  if (typeof spec.nodeName === 'string' && spec.nodeName) return spec.nodeName;
  // The DaemonSet controller pins each pod with nodeAffinity matchFields metadata.name In [node].
  const affinity =
    isRecord(spec.affinity) && isRecord(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : {};
  const required = isRecord(affinity.requiredDuringSchedulingIgnoredDuringExecution)
    ? affinity.requiredDuringSchedulingIgnoredDuringExecution
    : {};
  for (const term of list(required.nodeSelectorTerms))
    for (const field of list(term.matchFields))
      if (field.key === 'metadata.name' && Array.isArray(field.values) && typeof field.values[0] === 'string')
        return field.values[0];
  return undefined;
}

export function podReady(pod: KubeObject): boolean {
  const status = isRecord(pod.status) ? pod.status : {};
  return (
    status.phase === 'Running' &&
    list(status.conditions).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/**
 * Why a pod is not ready, in the words its status and events use: the phase, a false PodScheduled or
 * Ready condition, each waiting or crashed container, and the newest Warning events about it.
 */
export function podProblems(pod: KubeObject, events: readonly KubeObject[]): string[] {
  const status = isRecord(pod.status) ? pod.status : {};
  const reasons: string[] = [`pod ${pod.metadata?.name ?? '?'} ${String(status.phase ?? 'Unknown')}`];
  for (const condition of list(status.conditions)) {
    if (condition.status === 'True' || (condition.type !== 'PodScheduled' && condition.type !== 'Ready'))
      continue;
    const why = words(condition.reason, condition.message);
    if (why) reasons.push(`${String(condition.type)} false: ${why}`);
  }
  for (const container of [...list(status.initContainerStatuses), ...list(status.containerStatuses)]) {
    const state = isRecord(container.state) ? container.state : {};
    const waiting = isRecord(state.waiting) ? state.waiting : undefined;
    const terminated = isRecord(state.terminated) ? state.terminated : undefined;
    if (waiting)
      reasons.push(`container ${String(container.name)} waiting: ${words(waiting.reason, waiting.message)}`);
    else if (terminated)
      reasons.push(
        `container ${String(container.name)} terminated: ${words(terminated.reason, terminated.message)}`,
      );
  }
  reasons.push(...podWarnings(pod, events));
  return reasons;
}

/** The pod's three newest Warning events, newest first. */
function podWarnings(pod: KubeObject, events: readonly KubeObject[]): string[] {
  const uid = pod.metadata?.uid;
  const name = pod.metadata?.name;
  const when = (e: KubeObject) => String(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '');
  return events
    .filter((event) => {
      const about = isRecord(event.involvedObject) ? event.involvedObject : {};
      return (
        event.type === 'Warning' &&
        about.kind === 'Pod' &&
        (about.uid ? about.uid === uid : about.name === name)
      );
    })
    .sort((a, b) => when(b).localeCompare(when(a)))
    .slice(0, 3)
    .map((event) => `event ${words(event.reason, event.message)}`);
}
