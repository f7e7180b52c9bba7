import type { ContainerEntry } from '../../kube/pod-template.js';
import type { KubeObject } from '../../kube/types.js';
import type { Inventory, PodCheck } from '../check.js';
import { containerCheck } from './container-check.js';
import { containerDefaults, isQuantity } from './limit-range.js';
import { mitre, nsa } from './references.js';

type Kind = 'limits' | 'requests';
type Resource = 'cpu' | 'memory';

function declared(entry: ContainerEntry, kind: Kind, resource: Resource): boolean {
  const resources = entry.container.resources;
  const holder = typeof resources === 'object' && resources !== null ? resources[kind] : undefined;
  return (
    typeof holder === 'object' && holder !== null && isQuantity((holder as Record<string, unknown>)[resource])
  );
}

/**
 * Whether the container ends up with the value once admitted: set in the manifest, copied from its
 * limit (a request left unset defaults to the limit — Kubernetes "Resource Management for Pods and
 * Containers"), or defaulted by a LimitRange of the namespace that is in the input.
 */
function effective(
  entry: ContainerEntry,
  object: KubeObject,
  inventory: Inventory,
  kind: Kind,
  resource: Resource,
) {
  if (declared(entry, kind, resource)) return true;
  if (kind === 'requests' && declared(entry, 'limits', resource)) return true;
  const namespace = typeof object.metadata?.namespace === 'string' ? object.metadata.namespace : '';
  return containerDefaults(inventory, namespace)[kind].has(resource);
}

function resourceCheck(kind: Kind, resource: Resource, severity: 'medium' | 'low'): PodCheck {
  const singular = kind === 'limits' ? 'limit' : 'request';
  // Built once per check (containerCheck copies the path): the same problem for every container.
  const missing = { path: ['resources', kind, resource], evidence: `no resources.${kind}.${resource}` };
  return containerCheck({
    id: `resources-${resource}-${singular}`,
    title: `Container has no ${resource} ${singular}`,
    severity,
    description:
      kind === 'limits'
        ? `Without a ${resource} limit one container can take its whole node's ${resource} and starve every other pod there (denial of service${resource === 'memory' ? '; memory is not compressible, so neighbours get OOM-killed' : ''}). A LimitRange default in the input counts. Ephemeral containers cannot have resources and are not checked.`
        : `Without a ${resource} request the scheduler cannot place the pod sensibly and it is among the first evicted under node pressure. A request left unset defaults to the container's limit, and a LimitRange default in the input counts.`,
    remediation: `Set resources.${kind}.${resource} on the container (or a ${kind === 'limits' ? 'default' : 'defaultRequest'} in a LimitRange of the namespace).`,
    references: [nsa('Pod security: resource policies'), mitre('T1499')],
    applies: (entry) => entry.field !== 'ephemeralContainers',
    problem: (entry, _pod, inventory, object) =>
      effective(entry, object, inventory, kind, resource) ? undefined : missing,
  });
}

export const RESOURCE_CHECKS: readonly PodCheck[] = [
  resourceCheck('limits', 'cpu', 'low'),
  resourceCheck('limits', 'memory', 'medium'),
  resourceCheck('requests', 'cpu', 'low'),
  resourceCheck('requests', 'memory', 'low'),
];
