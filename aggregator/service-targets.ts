import type { KubeObject } from '../core/kube/types.js';
import { isRecord } from '../core/kube/types.js';
import type { InputProblem } from '../core/model/index.js';
import { ServiceToolTarget } from '../core/protocol/index.js';

export interface ServiceTargets {
  targets: ServiceToolTarget[];
  problems: InputProblem[];
}

interface PortSpec {
  port?: unknown;
  targetPort?: unknown;
  protocol?: unknown;
}

/**
 * The network tools' targets: the Services in the app's namespaces whose selector picks one of the
 * app's pods, each with its ClusterIP and TCP ports as the API server has them — nothing a user typed.
 * A Service port is "declared" when its targetPort (a number, or a port name) is a port one of those
 * pods' containers declares; nmap reports the open ones that are not. Headless Services (no ClusterIP)
 * are said, not probed.
 */
export function serviceTargets(services: readonly KubeObject[], pods: readonly KubeObject[]): ServiceTargets {
  const result: ServiceTargets = { targets: [], problems: [] };
  for (const service of services) {
    const namespace = service.metadata?.namespace ?? '';
    const name = service.metadata?.name ?? '';
    const spec = isRecord(service.spec) ? service.spec : {};
    const selector = isRecord(spec.selector) ? (spec.selector as Record<string, unknown>) : {};
    if (Object.keys(selector).length === 0) continue; // selects no pods: not the app's
    const selected = pods.filter(
      (p) =>
        p.metadata?.namespace === namespace &&
        Object.entries(selector).every(([k, v]) => p.metadata?.labels?.[k] === v),
    );
    if (selected.length === 0) continue;
    const source = `Service ${namespace}/${name}`;
    const clusterIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
    if (clusterIP === '' || clusterIP === 'None') {
      result.problems.push({
        kind: 'warning',
        source,
        message: 'no ClusterIP (headless or not allocated): not probed by the network tools',
      });
      continue;
    }
    const ports = (Array.isArray(spec.ports) ? (spec.ports as PortSpec[]) : []).filter(
      (p) => isRecord(p) && (p.protocol === undefined || p.protocol === 'TCP') && typeof p.port === 'number',
    );
    const containerPorts = selected.flatMap(declaredContainerPorts);
    const declared = ports.filter((p) => {
      const target = p.targetPort ?? p.port;
      return containerPorts.some(
        (c) => c.number === target || (typeof target === 'string' && c.name === target),
      );
    });
    const parsed = ServiceToolTarget.safeParse({
      namespace,
      name,
      clusterIP,
      ports: ports.map((p) => p.port),
      declaredPorts: declared.map((p) => p.port),
    });
    if (parsed.success) result.targets.push(parsed.data);
    else
      result.problems.push({
        kind: 'warning',
        source,
        message: `not probed by the network tools: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      });
  }
  return result;
}

function declaredContainerPorts(pod: KubeObject): Array<{ number: number; name?: string }> {
  const spec = isRecord(pod.spec) ? pod.spec : {};
  const containers = [
    ...(Array.isArray(spec.containers) ? spec.containers : []),
    ...(Array.isArray(spec.initContainers) ? spec.initContainers : []),
  ];
  return containers.flatMap((c) =>
    isRecord(c) && Array.isArray(c.ports)
      ? c.ports.flatMap((p: unknown) =>
          isRecord(p) && typeof p.containerPort === 'number'
            ? [{ number: p.containerPort, ...(typeof p.name === 'string' ? { name: p.name } : {}) }]
            : [],
        )
      : [],
  );
}
