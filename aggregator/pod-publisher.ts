import { createHash } from 'node:crypto';
import type { KeyValue } from '../core/bus/bus.js';
import { KvConflictError } from '../core/bus/bus.js';
import { NODE_PODS_BUCKET, nodePodsKey, slimPod } from '../core/kube/node-pods.js';
import type { KubeObject } from '../core/kube/types.js';
import { isRecord } from '../core/kube/types.js';
import { MAX_BUS_MESSAGE_BYTES } from '../core/protocol/index.js';
import type { EventProcessor } from './event-processor.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import { nodeOf } from './target-resolver.js';

const DIGEST = /^(.*)@(sha256:[0-9a-f]{64})$/;

/**
 * The leader's view of what runs where, shared: each node's pods go to the `seco-pods` bucket for its
 * agent's runtime attribution, and each image digest seen for the first time anywhere in the cluster is
 * an `image.seen` event for the feedback rules (continuous mode: every new digest is scanned once).
 */
export class PodPublisher {
  private readonly published = new Map<string, string>();

  constructor(
    private readonly c: ScanCoordinator,
    private readonly events: EventProcessor | undefined,
  ) {}

  async publish(): Promise<void> {
    const pods = await this.c.options.kube.list('Pod');
    const byNode = new Map<string, KubeObject[]>();
    for (const pod of pods) {
      const node = nodeOf(pod);
      if (node) byNode.set(node, [...(byNode.get(node) ?? []), slimPod(pod)]);
    }
    const kv = await this.c.options.bus.keyValue(NODE_PODS_BUCKET);
    for (const [node, nodePods] of byNode) await this.put(kv, node, nodePods);
    if (this.events) await this.announceNewImages(pods);
  }

  private async put(kv: KeyValue, node: string, pods: KubeObject[]): Promise<void> {
    let body = JSON.stringify({ node, pods });
    // A node with more pods than one message holds: the oldest are left out and the agent attributes
    // their processes to the container only.
    while (Buffer.byteLength(body) > MAX_BUS_MESSAGE_BYTES - 1024 && pods.length > 0) {
      pods = pods.slice(0, Math.floor(pods.length * 0.9));
      body = JSON.stringify({ node, pods, truncated: true });
    }
    const hash = createHash('sha256').update(body).digest('hex');
    if (this.published.get(node) === hash) return;
    await kv.put(nodePodsKey(node), Buffer.from(body));
    this.published.set(node, hash);
  }

  private async announceNewImages(pods: readonly KubeObject[]): Promise<void> {
    const seen = await this.c.options.bus.keyValue('seco-images');
    for (const pod of pods) {
      const node = nodeOf(pod);
      const statuses =
        isRecord(pod.status) && Array.isArray(pod.status.containerStatuses)
          ? pod.status.containerStatuses
          : [];
      for (const status of statuses) {
        if (!isRecord(status) || typeof status.imageID !== 'string') continue;
        const match = DIGEST.exec(status.imageID.replace(/^[a-z-]+:\/\//, ''));
        if (!match || !node) continue;
        try {
          // Create-once: of all replicas and restarts, exactly one announces a digest.
          await seen.create(`sha256.${match[2]!.slice(7)}`, Buffer.from(match[1]!));
        } catch (error) {
          if (error instanceof KvConflictError) continue;
          throw error;
        }
        await this.events!.onClusterEvent({ type: 'image.seen', image: `${match[1]}@${match[2]}`, node });
      }
    }
  }
}
