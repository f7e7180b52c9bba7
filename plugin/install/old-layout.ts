import type { KubeObject } from '../../core/kube/types.js';
import type { RenderedBase } from './render-base.js';

const ref = (apiVersion: string, kind: string, name: string, namespace: string): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, namespace },
});

/**
 * What an install of the one-namespace layout left in seco's namespace that this stack no longer has there:
 * the agent DaemonSet and its service account and egress policy (the agents now run in their own
 * namespace), the ingress-only default deny (now `seco-default-deny`), and NATS' ConfigMap (nats.conf is now
 * rendered into the Secret seco-nats-tls). An upgrade deletes them once the new objects are applied.
 */
export function supersededObjects(base: Pick<RenderedBase, 'namespace' | 'agentNamespace'>): KubeObject[] {
  const ns = base.namespace;
  const agents =
    base.agentNamespace === ns
      ? []
      : [
          ref('apps/v1', 'DaemonSet', 'seco-agent', ns),
          ref('v1', 'ServiceAccount', 'seco-agent', ns),
          ref('networking.k8s.io/v1', 'NetworkPolicy', 'seco-agent-egress', ns),
        ];
  return [
    ...agents,
    ref('networking.k8s.io/v1', 'NetworkPolicy', 'seco-default-deny-ingress', ns),
    ref('v1', 'ConfigMap', 'seco-nats-config', ns),
  ];
}
