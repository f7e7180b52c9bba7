import { describe, expect, it } from '@jest/globals';
import { rolloutState } from '../../../core/kube/rollout-status.js';

const object = (kind: string, spec: object, status: object, generation = 2) => ({
  kind,
  metadata: { name: 'x', generation },
  spec,
  status: { observedGeneration: 2, ...status },
});

describe('rolloutState', () => {
  it('waits until the spec update is observed', () => {
    expect(rolloutState(object('Deployment', { replicas: 1 }, { observedGeneration: 1 }))).toEqual({
      done: false,
      waiting: 'the spec update to be observed',
    });
  });

  it('judges a Deployment as kubectl rollout status does', () => {
    const d = (status: object) => rolloutState(object('Deployment', { replicas: 2 }, status));
    expect(d({ updatedReplicas: 1 }).waiting).toBe('1 out of 2 new replicas to be updated');
    expect(d({ updatedReplicas: 2, replicas: 3 }).waiting).toBe('1 old replicas to terminate');
    expect(d({ updatedReplicas: 2, replicas: 2, availableReplicas: 1 }).waiting).toBe(
      '1 of 2 updated replicas to be available',
    );
    expect(d({ updatedReplicas: 2, replicas: 2, availableReplicas: 2 }).done).toBe(true);
    expect(d({ conditions: [{ type: 'Progressing', reason: 'ProgressDeadlineExceeded' }] }).failed).toBe(
      true,
    );
  });

  it('judges StatefulSets by ready pods and revision, DaemonSets by scheduled and available pods', () => {
    const s = (status: object) => rolloutState(object('StatefulSet', { replicas: 1 }, status));
    expect(s({ readyReplicas: 0 }).waiting).toBe('0 of 1 pods to be ready');
    expect(s({ readyReplicas: 1, currentRevision: 'a', updateRevision: 'b' }).done).toBe(false);
    expect(s({ readyReplicas: 1, currentRevision: 'b', updateRevision: 'b' }).done).toBe(true);
    const ds = (status: object) => rolloutState(object('DaemonSet', {}, status));
    expect(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 2 }).waiting).toBe(
      '2 out of 3 new pods to be updated',
    );
    expect(ds({ desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3 }).done).toBe(true);
  });
});
