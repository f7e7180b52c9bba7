import type { ContainerEntry, PodTemplate } from '../kube/pod-template.js';
import { type PathNode, pathNode } from './path-pool.js';

// A template's spec node and an entry's container node, kept on the objects they belong to (as
// podContainers keeps the entries): some 40 checks build violation paths under the same pod spec and
// containers. Symbol keys, so nothing that lists or serialises these objects sees them.
const SPEC_NODE = Symbol('pod spec path');
const CONTAINER_NODE = Symbol('container path');

/** The shared path of the pod spec (`spec.template.spec`…): violations of the pod are below it. */
export function podSpecNode(pod: PodTemplate): PathNode {
  const holder = pod as PodTemplate & { [SPEC_NODE]?: PathNode };
  let node = holder[SPEC_NODE];
  if (node === undefined) {
    node = pathNode(pod.specPath);
    holder[SPEC_NODE] = node;
  }
  return node;
}

/** The shared path of one container (`spec.template.spec.containers[0]`). */
export function containerNode(pod: PodTemplate, entry: ContainerEntry): PathNode {
  const holder = entry as ContainerEntry & { [CONTAINER_NODE]?: PathNode };
  let node = holder[CONTAINER_NODE];
  if (node === undefined) {
    node = podSpecNode(pod).child(entry.field).child(entry.index);
    holder[CONTAINER_NODE] = node;
  }
  return node;
}
