import { isRecord, type KubeObject } from '../../core/kube/types.js';
import type { AggregatorStatus } from '../../core/protocol/index.js';
import { ineligibility, nodeNotReady } from './node-eligibility.js';
import { podNode, podProblems, podReady } from './pod-problems.js';
import type { AgentNode } from './status-report.js';

export interface CoverageInput {
  daemonSet?: KubeObject;
  nodes: readonly KubeObject[];
  /** Pods of the seco namespace (the DaemonSet's are picked by owner). */
  pods: readonly KubeObject[];
  events: readonly KubeObject[];
  heartbeats?: AggregatorStatus['agents'];
}

const ownedBy = (pod: KubeObject, daemonSet: KubeObject) =>
  (Array.isArray(pod.metadata?.ownerReferences) ? pod.metadata.ownerReferences : []).some(
    (ref) =>
      isRecord(ref) &&
      ref.kind === 'DaemonSet' &&
      (ref.uid ? ref.uid === daemonSet.metadata?.uid : ref.name === daemonSet.metadata?.name),
  );

/**
 * One line per node: whether its agent pod is ready and, when not, why — the pod's own status and
 * events when there is a pod; else the node being NotReady, a taint the DaemonSet does not tolerate or
 * a node selector it does not match. A ready pod whose agent sends no heartbeat is not working either.
 */
export function agentCoverage(input: CoverageInput): AgentNode[] {
  const { daemonSet } = input;
  const pods = daemonSet ? input.pods.filter((pod) => ownedBy(pod, daemonSet)) : [];
  const beats = new Map((input.heartbeats ?? []).map((b) => [b.node, b]));
  return input.nodes
    .map((node): AgentNode => {
      const name = node.metadata?.name ?? '?';
      const beat = beats.get(name);
      const heartbeat = beat && {
        online: beat.online,
        version: beat.version,
        lastSeen: beat.lastSeen,
        ...(beat.runtimeSensor
          ? { runtimeSensor: beat.runtimeSensor, runtimeLost: beat.runtimeLost ?? 0 }
          : {}),
      };
      const pod = pods.find((p) => podNode(p) === name);
      const notReady = nodeNotReady(node);
      if (pod && podReady(pod)) {
        const reasons = heartbeat?.online === false ? [`no heartbeat since ${heartbeat.lastSeen}`] : [];
        if (input.heartbeats && !heartbeat) reasons.push('the agent pod is ready but has sent no heartbeat');
        return {
          node: name,
          agent: 'ready',
          pod: pod.metadata?.name,
          ...(heartbeat ? { heartbeat } : {}),
          reasons,
        };
      }
      if (pod) {
        const reasons = [...(notReady ? [notReady] : []), ...podProblems(pod, input.events)];
        return {
          node: name,
          agent: 'not-ready',
          pod: pod.metadata?.name,
          ...(heartbeat ? { heartbeat } : {}),
          reasons,
        };
      }
      const reasons = [
        ...(notReady ? [notReady] : []),
        ...(daemonSet ? ineligibility(daemonSet, node) : ['no agent DaemonSet']),
      ];
      if (reasons.length === 0) reasons.push('no agent pod on this node, and nothing in the API says why');
      return { node: name, agent: 'missing', ...(heartbeat ? { heartbeat } : {}), reasons };
    })
    .sort((a, b) => a.node.localeCompare(b.node));
}
