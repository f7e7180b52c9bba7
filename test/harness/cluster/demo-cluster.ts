import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { KubeObject } from '../../../core/kube/types.js';

const hex = (text: string, length = 64) => createHash('sha256').update(text).digest('hex').slice(0, length);

/** Every object of a directory of manifests, as plain objects. */
export function readManifests(dir: string): KubeObject[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => loadAll(readFileSync(join(dir, f), 'utf8')) as KubeObject[])
    .filter((o): o is KubeObject => !!o && typeof o === 'object');
}

export interface RunningPodsOptions {
  nodes: string[];
  /** Image reference → the digest the kubelet resolved (`imageID`); a made-up one otherwise. */
  digests?: Record<string, string>;
}

/**
 * What the controllers and kubelets would add to a cluster holding these manifests: a ReplicaSet per
 * Deployment, and per replica a running Pod scheduled round-robin on `nodes`, with owner references,
 * container ids (containerd) and resolved image digests in its status — the objects seco reads to
 * know which nodes and images an app has.
 */
export function withRunningPods(objects: readonly KubeObject[], options: RunningPodsOptions): KubeObject[] {
  const out: KubeObject[] = [...objects];
  let next = 0;
  for (const workload of objects) {
    if (workload.kind !== 'Deployment' && workload.kind !== 'StatefulSet') continue;
    const name = workload.metadata?.name ?? 'app';
    const namespace = workload.metadata?.namespace ?? 'default';
    const uid = hex(`${namespace}/${workload.kind}/${name}`, 32);
    workload.metadata = { ...workload.metadata, uid };
    const spec = workload.spec as {
      replicas?: number;
      template: { metadata?: { labels?: Record<string, string> }; spec: Record<string, unknown> };
    };
    let owner = { apiVersion: 'apps/v1', kind: workload.kind, name, uid, controller: true };
    if (workload.kind === 'Deployment') {
      const rsName = `${name}-${hex(name, 10)}`;
      const rsUid = hex(`${namespace}/rs/${rsName}`, 32);
      out.push({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: rsName,
          namespace,
          uid: rsUid,
          labels: spec.template.metadata?.labels,
          ownerReferences: [owner],
        },
        spec: {
          replicas: spec.replicas ?? 1,
          selector: workload.spec && (workload.spec as Record<string, unknown>).selector,
          template: spec.template,
        },
      });
      owner = { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: rsName, uid: rsUid, controller: true };
    }
    for (let replica = 0; replica < (spec.replicas ?? 1); replica++) {
      const podName = `${name}-${hex(`${name}${replica}`, 5)}`;
      const node = options.nodes[next++ % options.nodes.length]!;
      const containers = (spec.template.spec.containers as Array<{ name: string; image: string }>) ?? [];
      out.push({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: {
          name: podName,
          namespace,
          uid: hex(`${namespace}/pod/${podName}`, 32),
          labels: spec.template.metadata?.labels,
          ownerReferences: [owner],
        },
        spec: { ...spec.template.spec, nodeName: node },
        status: {
          phase: 'Running',
          containerStatuses: containers.map((c) => ({
            name: c.name,
            image: c.image,
            imageID: `${c.image.split(':')[0]}@${options.digests?.[c.image] ?? `sha256:${hex(c.image)}`}`,
            containerID: `containerd://${hex(`${podName}/${c.name}`)}`,
            ready: true,
            started: true,
          })),
        },
      });
    }
  }
  return out;
}

/** The two nodes most cluster tests run on: one hardened host root, one misconfigured. */
/** `kubectl seco scan` of the demo app's workloads with the scanners that need no registry: its first arguments. */
export const DEMO_SCAN_ARGS = ['scan', '-n', 'wordsmith', '-l', 'app', '--scanners', 'config,host'];

export const DEMO_NODES = [
  { name: 'node-a', fixture: 'hardened' },
  { name: 'node-b', fixture: 'misconfigured' },
];

/** The demo app (examples/demo-app/common) with its pods running on the demo nodes. */
export function demoObjects(): KubeObject[] {
  return withRunningPods(readManifests('examples/demo-app/common'), { nodes: DEMO_NODES.map((n) => n.name) });
}

/** `shop/shop`: a Deployment of one container running `image`, for tests about one image's job. */
export function shopDeployment(image: string, replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'shop', namespace: 'shop', labels: { app: 'shop' } },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'shop' } },
      template: { metadata: { labels: { app: 'shop' } }, spec: { containers: [{ name: 'shop', image }] } },
    },
  };
}
