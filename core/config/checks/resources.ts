import type { PodCheck } from '../check.js';
import { containerCheck, nsa } from './container-check.js';

function resourceCheck(kind: 'limits' | 'requests', resource: 'cpu' | 'memory'): PodCheck {
  const singular = kind === 'limits' ? 'limit' : 'request';
  return containerCheck({
    id: `resources-${resource}-${singular}`,
    title: `Container has no ${resource} ${singular}`,
    severity: kind === 'limits' && resource === 'memory' ? 'medium' : 'low',
    description:
      kind === 'limits'
        ? `Without a ${resource} limit one container can starve every other pod on its node (denial of service).`
        : `Without a ${resource} request the scheduler cannot place the pod sensibly and it is evicted first under pressure.`,
    remediation: `Set resources.${kind}.${resource} on the container (or a LimitRange default in the namespace).`,
    references: [nsa('Pod security / resource policies')],
    problem(entry) {
      const holder = entry.container.resources?.[kind];
      const value =
        holder && typeof holder === 'object' ? (holder as Record<string, unknown>)[resource] : undefined;
      return value === undefined || value === null || value === ''
        ? { path: ['resources'], evidence: `no resources.${kind}.${resource}` }
        : undefined;
    },
  });
}

export const RESOURCE_CHECKS: readonly PodCheck[] = [
  resourceCheck('limits', 'cpu'),
  resourceCheck('limits', 'memory'),
  resourceCheck('requests', 'cpu'),
  resourceCheck('requests', 'memory'),
];
