import type { KubeView } from '../core/kube/kube-view.js';
import type { KubeObject } from '../core/kube/types.js';
import type { Finding } from '../core/model/index.js';

export type AlertCheck = { ok: true; finding: Finding } | { ok: false; error: string };

interface ContainerSpec {
  name?: unknown;
  image?: unknown;
}
interface ContainerStatus {
  name?: unknown;
  imageID?: unknown;
}

function containersOf(pod: KubeObject): ContainerSpec[] {
  const spec = (pod.spec ?? {}) as Record<string, unknown>;
  return ['containers', 'initContainers', 'ephemeralContainers'].flatMap((key) =>
    Array.isArray(spec[key]) ? (spec[key] as ContainerSpec[]) : [],
  );
}

function statusesOf(pod: KubeObject): ContainerStatus[] {
  const status = (pod.status ?? {}) as Record<string, unknown>;
  return ['containerStatuses', 'initContainerStatuses', 'ephemeralContainerStatuses'].flatMap((key) =>
    Array.isArray(status[key]) ? (status[key] as ContainerStatus[]) : [],
  );
}

/**
 * The image the cluster says a container runs: the digest the kubelet reported (`imageID`, e.g.
 * `docker-pullable://registry/app@sha256:…`) when it names a repository, else the pod spec's image.
 */
function clusterImage(pod: KubeObject, container: string): string | undefined {
  const status = statusesOf(pod).find((s) => s.name === container);
  const imageId = typeof status?.imageID === 'string' ? status.imageID.replace(/^[a-z-]+:\/\//, '') : '';
  if (/^[^@\s]+@sha256:[0-9a-f]{64}$/.test(imageId)) return imageId;
  const spec = containersOf(pod).find((c) => c.name === container);
  return typeof spec?.image === 'string' && spec.image !== '' ? spec.image : undefined;
}

/**
 * An alert pushed from outside (Falco, falcosidekick, another sender) is a claim, checked against the
 * cluster before anything acts on it (issue 11): the pod it names must exist in that namespace and run on
 * the node it names; a node-level alert must name an existing node. What the alert says the image is
 * counts for nothing: the finding's image becomes the one the cluster says the container runs (or none,
 * when the container is not named and the pod has several), so a feedback rescan never pulls from where
 * the sender chose.
 */
export async function checkAlertAgainstCluster(kube: KubeView, finding: Finding): Promise<AlertCheck> {
  const r = finding.resource;
  if (r.kind === 'Pod' && r.namespace && r.name) {
    const pod = await kube.get('Pod', r.namespace, r.name);
    if (!pod) return { ok: false, error: `pod ${r.namespace}/${r.name} does not exist` };
    const nodeName = (pod.spec as { nodeName?: unknown } | undefined)?.nodeName;
    const podNode = typeof nodeName === 'string' && nodeName !== '' ? nodeName : undefined;
    if (!podNode) return { ok: false, error: `pod ${r.namespace}/${r.name} is not scheduled on a node` };
    if (r.node && r.node !== podNode)
      return { ok: false, error: `pod ${r.namespace}/${r.name} runs on node ${podNode}, not ${r.node}` };
    const names = containersOf(pod)
      .map((c) => c.name)
      .filter((n): n is string => typeof n === 'string');
    if (r.container && !names.includes(r.container))
      return { ok: false, error: `pod ${r.namespace}/${r.name} has no container ${r.container}` };
    const container = r.container ?? (names.length === 1 ? names[0] : undefined);
    const image = container ? clusterImage(pod, container) : undefined;
    const { image: _claimed, container: _named, ...rest } = r;
    return {
      ok: true,
      finding: {
        ...finding,
        resource: {
          ...rest,
          node: podNode,
          ...(container ? { container } : {}),
          ...(image ? { image } : {}),
        },
      },
    };
  }
  if (r.namespace || (r.kind && r.kind !== 'Node'))
    return { ok: false, error: 'the alert names a namespace but no pod (k8s.ns.name without k8s.pod.name)' };
  if (!r.node) return { ok: false, error: 'the alert names no pod and no node' };
  if (!(await kube.get('Node', undefined, r.node)))
    return { ok: false, error: `node ${r.node} does not exist` };
  // A node-level alert (a process on the host): no image to rescan, whatever the alert says.
  const { image: _claimed, container: _named, ...rest } = r;
  return { ok: true, finding: { ...finding, resource: rest } };
}
