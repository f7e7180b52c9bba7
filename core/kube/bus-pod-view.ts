import type { Bus } from '../bus/bus.js';
import type { KubeView, ListOptions } from './kube-view.js';
import { NODE_PODS_BUCKET, nodePodsKey } from './node-pods.js';
import { findObject, listObjects } from './object-lookup.js';
import type { KubeObject } from './types.js';

/**
 * The agent's view of its own node's pods, kept current from the `seco-pods` KV bucket the aggregator
 * fills: enough for runtime attribution (container id → pod) with no Kubernetes API access on the node.
 * Other kinds are not there: list returns none, get finds nothing.
 */
export class BusPodView implements KubeView {
  private pods: KubeObject[] = [];
  private stopWatch?: () => void;

  private constructor(private readonly key: string) {}

  static async open(bus: Bus, node: string, log?: (line: string) => void): Promise<BusPodView> {
    const view = new BusPodView(nodePodsKey(node));
    const kv = await bus.keyValue(NODE_PODS_BUCKET);
    const read = (value: Uint8Array | undefined) => {
      if (!value) {
        view.pods = [];
        return;
      }
      try {
        const parsed = JSON.parse(Buffer.from(value).toString('utf8')) as { pods?: unknown };
        view.pods = Array.isArray(parsed.pods) ? (parsed.pods as KubeObject[]) : [];
      } catch (error) {
        log?.(`pods of ${node} in ${NODE_PODS_BUCKET} unreadable: ${(error as Error).message}`);
      }
    };
    // Only this node's key: the agent's NATS user may read nothing else in the bucket.
    view.stopWatch = await kv.watch((key, value) => {
      if (key === view.key) read(value);
    }, view.key);
    read((await kv.get(view.key))?.value);
    return view;
  }

  close(): void {
    this.stopWatch?.();
  }

  // Every object here is a Pod (slimPod), so other kinds find nothing.
  async list(kind: string, options: ListOptions = {}): Promise<KubeObject[]> {
    return listObjects(this.pods, kind, options);
  }

  async get(kind: string, namespace: string | undefined, name: string): Promise<KubeObject | undefined> {
    return findObject(this.pods, kind, namespace, name);
  }
}
