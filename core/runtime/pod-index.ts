import type { KubeView } from '../kube/kube-view.js';
import type { Container, KubeObject, PodSpec } from '../kube/types.js';

/** What a container id resolves to on this node: its pod and the spec fields rules look at. */
export interface PodContainer {
  namespace: string;
  pod: string;
  podUid: string;
  container: string;
  image: string;
  /** `status.containerStatuses[].imageID`, the digest-pinned image when the kubelet reports it. */
  imageId: string;
  /** PSS restricted: runAsNonRoot, container-level over pod-level. */
  runAsNonRoot: boolean;
  serviceAccount: string;
  /** Ports the container declares (`ports[].containerPort`): listening there is expected. */
  ports: number[];
}

interface ContainerStatus {
  name?: string;
  containerID?: string;
  image?: string;
  imageID?: string;
}

/** `containerd://<id>`, `cri-o://<id>`, `docker://<id>` → `<id>`. */
export function bareContainerId(containerId: string): string {
  const at = containerId.indexOf('://');
  return (at >= 0 ? containerId.slice(at + 3) : containerId).toLowerCase();
}

/**
 * Container id → pod, from the node's pods in a `KubeView`. Refreshed on a miss (a container younger than
 * the last list), at most once per `minRefreshMs`, so a burst of events from one new pod costs one list.
 */
export class PodIndex {
  private byId = new Map<string, PodContainer>();
  private lastRefresh = 0;
  private refreshing?: Promise<void>;

  constructor(
    private readonly kube: KubeView | undefined,
    private readonly node: string | undefined,
    private readonly minRefreshMs = 500,
    private readonly onError: (message: string) => void = () => {},
  ) {}

  /**
   * A container's first process (its entrypoint) runs before the kubelet has written the container id into
   * the pod's status, so a miss is retried for up to `waitMs` before the event goes out without its pod.
   */
  async lookup(containerId: string, waitMs = 0): Promise<PodContainer | undefined> {
    const id = containerId.toLowerCase();
    if (!this.kube) return undefined;
    const deadline = Date.now() + waitMs;
    for (;;) {
      const known = this.byId.get(id);
      if (known) return known;
      const sinceRefresh = Date.now() - this.lastRefresh;
      if (sinceRefresh >= this.minRefreshMs) await this.refresh();
      else if (Date.now() + 250 > deadline) return this.byId.get(id);
      else await new Promise((r) => setTimeout(r, 250));
      if (Date.now() >= deadline) return this.byId.get(id);
    }
  }

  /** What is known of a container now, without listing pods. */
  peek(containerId: string): PodContainer | undefined {
    return this.byId.get(containerId.toLowerCase());
  }

  async refresh(): Promise<void> {
    if (!this.kube) return;
    this.refreshing ??= this.load().finally(() => {
      this.refreshing = undefined;
    });
    await this.refreshing;
  }

  private async load(): Promise<void> {
    this.lastRefresh = Date.now();
    let pods: KubeObject[];
    try {
      pods = await this.kube!.list('Pod');
    } catch (error) {
      this.onError(`listing pods for container attribution: ${(error as Error).message}`);
      return;
    }
    const next = new Map<string, PodContainer>();
    for (const pod of pods) {
      const spec = (pod.spec ?? {}) as PodSpec;
      if (this.node && spec.nodeName && spec.nodeName !== this.node) continue;
      for (const [id, entry] of podContainers(pod, spec)) next.set(id, entry);
    }
    this.byId = next;
  }
}

function podContainers(pod: KubeObject, spec: PodSpec): Array<[string, PodContainer]> {
  const status = (pod.status ?? {}) as Record<string, unknown>;
  const specs = [
    ...(spec.initContainers ?? []),
    ...(spec.containers ?? []),
    ...(spec.ephemeralContainers ?? []),
  ];
  const out: Array<[string, PodContainer]> = [];
  for (const field of ['initContainerStatuses', 'containerStatuses', 'ephemeralContainerStatuses']) {
    const list = status[field];
    if (!Array.isArray(list)) continue;
    for (const s of list as ContainerStatus[]) {
      if (typeof s?.containerID !== 'string' || !s.containerID) continue;
      const c: Container | undefined = specs.find((x) => x?.name === s.name);
      out.push([
        bareContainerId(s.containerID),
        {
          namespace: String(pod.metadata?.namespace ?? 'default'),
          pod: String(pod.metadata?.name ?? ''),
          podUid: String(pod.metadata?.uid ?? ''),
          container: String(s.name ?? ''),
          image: String(c?.image ?? s.image ?? ''),
          imageId: String(s.imageID ?? ''),
          runAsNonRoot: (c?.securityContext?.runAsNonRoot ?? spec.securityContext?.runAsNonRoot) === true,
          serviceAccount: String(spec.serviceAccountName ?? 'default'),
          ports: (c?.ports ?? []).map((p) => Number(p?.containerPort)).filter(Number.isInteger),
        },
      ]);
    }
  }
  return out;
}
