import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import type { KubeObject } from '../../core/kube/types.js';
import { withRunningPods } from '../../test/harness/cluster/demo-cluster.js';
import { generateManifests } from './generate-manifests.js';

export interface ScaleClusterSize {
  nodes: number;
  workloads: number;
  /** Distinct images (each with a digest of its own) the workloads' first containers run. */
  images: number;
}

export interface ScaleCluster {
  dir: string;
  objects: number;
  nodes: string[];
  /** Distinct image references running (the first containers' plus the generator's own few). */
  images: number;
  /** Nodes with at least one pod: each gets a host job and a runtime snapshot. */
  busyNodes: number;
}

export const nodeName = (i: number) => `node-${String(i).padStart(5, '0')}`;

/**
 * A large cluster as a directory of YAML for `--kube-from`: `workloads` Deployments (pod specs from the
 * config benchmark's generator, so the config step does real work) over 50 namespaces, one running pod
 * each, spread round-robin over `nodes` nodes; each workload's first container runs one of `images`
 * distinct images. Pods, ReplicaSets and image digests come from the test harness's `withRunningPods`.
 */
export function writeScaleCluster(dir: string, size: ScaleClusterSize, perFile = 500): ScaleCluster {
  const nodes = Array.from({ length: size.nodes }, (_, i) => nodeName(i));
  const workloads: KubeObject[] = [];
  const namespaces = new Set<string>();
  let index = 0;
  for (const file of generateManifests(size.workloads, 100, 11).files)
    for (const doc of parseAllDocuments(file.text)) {
      const o = doc.toJS() as KubeObject & { spec?: Record<string, unknown> };
      if (['Service', 'Role', 'NetworkPolicy'].includes(o.kind ?? '')) {
        workloads.push(o);
        continue;
      }
      index++;
      const namespace = `team-${index % 50}`;
      namespaces.add(namespace);
      workloads.push(
        asDeployment(o, namespace, `svc-${index}`, `registry.example/svc-${index % size.images}:1.0`),
      );
    }
  const objects = [
    ...[...namespaces].map((name) => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    ...withRunningPods(workloads, { nodes }),
  ];
  mkdirSync(dir, { recursive: true });
  for (let i = 0; i < objects.length; i += perFile)
    writeFileSync(
      join(dir, `cluster-${String(i / perFile).padStart(4, '0')}.yaml`),
      objects
        .slice(i, i + perFile)
        .map((o) => stringify(o))
        .join('---\n'),
    );
  const pods = objects.filter((o) => o.kind === 'Pod') as Array<KubeObject & { spec: PodSpec }>;
  const images = new Set(pods.flatMap((p) => p.spec.containers.map((c) => c.image)));
  return {
    dir,
    objects: objects.length,
    nodes,
    images: images.size,
    busyNodes: new Set(pods.map((p) => p.spec.nodeName)).size,
  };
}

interface PodSpec {
  nodeName: string;
  containers: Array<{ image: string }>;
}

/** The generated object's pod spec as a one-replica Deployment, its first container on the given image. */
function asDeployment(
  o: KubeObject & { spec?: Record<string, unknown> },
  namespace: string,
  name: string,
  image: string,
): KubeObject {
  const spec = structuredClone(
    (o.kind === 'Pod' ? o.spec : undefined) ??
      (o.spec?.jobTemplate as { spec?: { template?: { spec?: unknown } } } | undefined)?.spec?.template
        ?.spec ??
      (o.spec?.template as { spec?: unknown } | undefined)?.spec,
  ) as { containers: Array<{ image: string }> };
  spec.containers[0]!.image = image;
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace, labels },
    spec: { replicas: 1, selector: { matchLabels: labels }, template: { metadata: { labels }, spec } },
  };
}
