import { describe, expect, it } from '@jest/globals';
import type { KubeObject } from '../../../../core/kube/types.js';
import { agentCoverage } from '../../../../plugin/status/agent-coverage.js';

const daemonSet: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'DaemonSet',
  metadata: { name: 'seco-agent', namespace: 'seco-system', uid: 'ds-uid' },
  spec: {
    template: {
      spec: {
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        tolerations: [
          { key: 'node-role.kubernetes.io/control-plane', operator: 'Exists', effect: 'NoSchedule' },
        ],
        containers: [{ name: 'agent', image: 'ghcr.io/seco-dev/seco:0.1.0' }],
      },
    },
  },
};

function node(
  name: string,
  extra: { taints?: object[]; labels?: Record<string, string>; ready?: object } = {},
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: extra.labels ?? { 'kubernetes.io/os': 'linux' } },
    spec: { taints: extra.taints ?? [] },
    status: { conditions: [extra.ready ?? { type: 'Ready', status: 'True' }] },
  };
}

function agentPod(nodeName: string, status: object, bound = true): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `seco-agent-${nodeName}`,
      namespace: 'seco-system',
      uid: `pod-${nodeName}`,
      ownerReferences: [{ kind: 'DaemonSet', name: 'seco-agent', uid: 'ds-uid', controller: true }],
    },
    spec: bound
      ? { nodeName }
      : {
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [
                  { matchFields: [{ key: 'metadata.name', operator: 'In', values: [nodeName] }] },
                ],
              },
            },
          },
        },
    status,
  };
}

const running = { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] };
const beat = (nodeName: string, online = true) => ({
  node: nodeName,
  version: '0.1.0',
  startedAt: '2026-12-06T00:00:00.000Z',
  lastSeen: '2026-12-06T00:00:10.000Z',
  online,
});

describe('agentCoverage', () => {
  it('counts a node with a ready agent pod and a live heartbeat as covered, with no reasons', () => {
    const [a] = agentCoverage({
      daemonSet,
      nodes: [node('node-a')],
      pods: [agentPod('node-a', running)],
      events: [],
      heartbeats: [beat('node-a')],
    });
    expect(a).toEqual({
      node: 'node-a',
      agent: 'ready',
      pod: 'seco-agent-node-a',
      heartbeat: { online: true, version: '0.1.0', lastSeen: '2026-12-06T00:00:10.000Z' },
      reasons: [],
    });
  });

  it("carries the agent's runtime sensor and its lost events from the heartbeat", () => {
    const [a] = agentCoverage({
      daemonSet,
      nodes: [node('node-a')],
      pods: [agentPod('node-a', running)],
      events: [],
      heartbeats: [{ ...beat('node-a'), runtimeSensor: 'ebpf', runtimeLost: 3 }],
    });
    expect(a?.heartbeat).toMatchObject({ runtimeSensor: 'ebpf', runtimeLost: 3 });
  });

  it('names a NoSchedule taint the DaemonSet does not tolerate, and ignores the ones it does', () => {
    const [gpu, control] = agentCoverage({
      daemonSet,
      nodes: [
        node('gpu-1', {
          taints: [
            { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' },
            { key: 'soft', effect: 'PreferNoSchedule' },
          ],
        }),
        node('master-1', {
          taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }],
        }),
      ],
      pods: [agentPod('master-1', running)],
      events: [],
    });
    expect(gpu).toMatchObject({
      node: 'gpu-1',
      agent: 'missing',
      reasons: ['taint dedicated=gpu:NoSchedule not tolerated by the DaemonSet'],
    });
    expect(control).toMatchObject({ node: 'master-1', agent: 'ready', reasons: [] });
  });

  it('names a node-selector label the node lacks', () => {
    const [windows] = agentCoverage({
      daemonSet,
      nodes: [node('win-1', { labels: { 'kubernetes.io/os': 'windows' } })],
      pods: [],
      events: [],
    });
    expect(windows!.reasons).toEqual([
      "node selector kubernetes.io/os=linux not matched by the node's labels",
    ]);
  });

  it('says a node is NotReady with its kubelet reason', () => {
    const [down] = agentCoverage({
      daemonSet,
      nodes: [
        node('node-x', {
          ready: {
            type: 'Ready',
            status: 'Unknown',
            reason: 'NodeStatusUnknown',
            message: 'Kubelet stopped posting node status.',
          },
        }),
      ],
      pods: [],
      events: [],
    });
    expect(down!.reasons).toEqual([
      'node NotReady (NodeStatusUnknown: Kubelet stopped posting node status.)',
    ]);
  });

  it('explains a pending agent pod by its PodScheduled condition, its waiting container and its newest Warning events', () => {
    const pending = agentPod(
      'node-p',
      {
        phase: 'Pending',
        conditions: [
          {
            type: 'PodScheduled',
            status: 'False',
            reason: 'Unschedulable',
            message: '0/3 nodes are available: 1 Insufficient memory.',
          },
        ],
        containerStatuses: [
          {
            name: 'agent',
            state: { waiting: { reason: 'ImagePullBackOff', message: 'Back-off pulling image' } },
          },
        ],
      },
      false,
    );
    const event = (reason: string, at: string, type = 'Warning'): KubeObject => ({
      kind: 'Event',
      type,
      reason,
      message: `${reason} happened`,
      lastTimestamp: at,
      involvedObject: { kind: 'Pod', name: 'seco-agent-node-p', uid: 'pod-node-p' },
    });
    const [p] = agentCoverage({
      daemonSet,
      nodes: [node('node-p')],
      pods: [pending],
      events: [
        event('FailedScheduling', '2026-12-06T00:00:01Z'),
        event('Failed', '2026-12-06T00:00:05Z'),
        event('Pulling', '2026-12-06T00:00:09Z', 'Normal'),
      ],
    });
    expect(p).toMatchObject({ node: 'node-p', agent: 'not-ready', pod: 'seco-agent-node-p' });
    expect(p!.reasons).toEqual([
      'pod seco-agent-node-p Pending',
      'PodScheduled false: Unschedulable: 0/3 nodes are available: 1 Insufficient memory.',
      'container agent waiting: ImagePullBackOff: Back-off pulling image',
      'event Failed: Failed happened',
      'event FailedScheduling: FailedScheduling happened',
    ]);
  });

  it('flags a ready pod whose agent has stopped heartbeating or never did', () => {
    const [a, b] = agentCoverage({
      daemonSet,
      nodes: [node('node-a'), node('node-b')],
      pods: [agentPod('node-a', running), agentPod('node-b', running)],
      events: [],
      heartbeats: [beat('node-a', false)],
    });
    expect(a!.reasons).toEqual(['no heartbeat since 2026-12-06T00:00:10.000Z']);
    expect(b!.reasons).toEqual(['the agent pod is ready but has sent no heartbeat']);
  });

  it('does not count pods another DaemonSet owns', () => {
    const other = {
      ...agentPod('node-a', running),
      metadata: {
        name: 'fluentd-x',
        ownerReferences: [{ kind: 'DaemonSet', name: 'fluentd', uid: 'other' }],
      },
    };
    const [a] = agentCoverage({ daemonSet, nodes: [node('node-a')], pods: [other], events: [] });
    expect(a!.agent).toBe('missing');
  });
});
