import type { KubeObject } from './types.js';

export interface RolloutState {
  done: boolean;
  /** What is being waited for, in kubectl's words; empty when done. */
  waiting: string;
  /** The rollout cannot finish on its own (a Deployment past its progress deadline). */
  failed?: boolean;
}

/** Kinds whose rollout can be waited for. */
export const ROLLOUT_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

type Status = Record<string, unknown>;
const num = (value: unknown): number => (typeof value === 'number' ? value : 0);

/**
 * Whether a workload has finished rolling out, judged as `kubectl rollout status` does
 * (kubectl/pkg/polymorphichelpers/rollout_status.go).
 */
export function rolloutState(object: KubeObject): RolloutState {
  const spec = (object.spec ?? {}) as Status;
  const status = (object.status ?? {}) as Status;
  const generation = num(object.metadata?.generation);
  const observed = num(status.observedGeneration);
  if (observed === 0 || generation > observed) return waiting('the spec update to be observed');
  const wanted = typeof spec.replicas === 'number' ? spec.replicas : 1;
  switch (object.kind) {
    case 'Deployment':
      return deploymentState(wanted, status);
    case 'StatefulSet':
      return statefulSetState(wanted, status);
    case 'DaemonSet':
      return daemonSetState(status);
    default:
      return { done: true, waiting: '' };
  }
}

function deploymentState(wanted: number, status: Status): RolloutState {
  const conditions = Array.isArray(status.conditions) ? (status.conditions as Status[]) : [];
  if (conditions.some((c) => c.type === 'Progressing' && c.reason === 'ProgressDeadlineExceeded')) {
    return { done: false, waiting: 'a rollout that exceeded its progress deadline', failed: true };
  }
  const updated = num(status.updatedReplicas);
  if (updated < wanted) return waiting(`${updated} out of ${wanted} new replicas to be updated`);
  if (num(status.replicas) > updated)
    return waiting(`${num(status.replicas) - updated} old replicas to terminate`);
  if (num(status.availableReplicas) < updated) {
    return waiting(`${num(status.availableReplicas)} of ${updated} updated replicas to be available`);
  }
  return { done: true, waiting: '' };
}

function statefulSetState(wanted: number, status: Status): RolloutState {
  if (num(status.readyReplicas) < wanted)
    return waiting(`${num(status.readyReplicas)} of ${wanted} pods to be ready`);
  if (status.updateRevision !== status.currentRevision) {
    return waiting(`${num(status.updatedReplicas)} of ${wanted} pods to be updated`);
  }
  return { done: true, waiting: '' };
}

function daemonSetState(status: Status): RolloutState {
  const desired = num(status.desiredNumberScheduled);
  if (num(status.updatedNumberScheduled) < desired) {
    return waiting(`${num(status.updatedNumberScheduled)} out of ${desired} new pods to be updated`);
  }
  if (num(status.numberAvailable) < desired) {
    return waiting(`${num(status.numberAvailable)} of ${desired} updated pods to be available`);
  }
  return { done: true, waiting: '' };
}

function waiting(what: string): RolloutState {
  return { done: false, waiting: what };
}
