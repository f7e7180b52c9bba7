import type { KubeObject } from '../../core/kube/types.js';

const METRICS_PORT = 9090;

interface IngressRule {
  from?: unknown[];
  ports?: Array<{ protocol?: string; port?: unknown }>;
}

/**
 * The aggregator's NetworkPolicy lets the metrics port be reached from these namespaces only (by the name
 * label the API server sets on every namespace), instead of the base's `monitoring`. An empty list closes it.
 */
export function allowMetricsFrom(objects: readonly KubeObject[], namespaces: readonly string[]): void {
  const policy = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'seco-aggregator');
  const spec = policy?.spec as { ingress?: IngressRule[] } | undefined;
  if (!spec) return;
  const others = (spec.ingress ?? []).filter((r) => !r.ports?.some((p) => p.port === METRICS_PORT));
  const from = namespaces.map((name) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': name } },
  }));
  spec.ingress = [
    ...others,
    ...(from.length > 0 ? [{ from, ports: [{ protocol: 'TCP', port: METRICS_PORT }] }] : []),
  ];
}
