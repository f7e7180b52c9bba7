import { parseAllDocuments } from 'yaml';
import type { KubeObject } from '../../core/kube/types.js';
import { generateManifests } from './generate-manifests.js';

/** The large app: every generated workload's pod spec as a Deployment in namespace `bulk`, with the context. */
export function bulkApp(workloads: number): { manifests: KubeObject[]; podSpecs: number } {
  const generated = generateManifests(workloads, 100, 7);
  const manifests: KubeObject[] = [{ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'bulk' } }];
  for (const file of generated.files)
    for (const doc of parseAllDocuments(file.text)) {
      const o = doc.toJS() as KubeObject & { spec?: Record<string, unknown> };
      const name = o.metadata?.name ?? 'x';
      if (['Service', 'Role', 'NetworkPolicy'].includes(o.kind ?? '')) {
        manifests.push({ ...o, metadata: { ...o.metadata, namespace: 'bulk' } });
        continue;
      }
      const spec =
        (o.kind === 'Pod' ? o.spec : undefined) ??
        ((o.spec?.jobTemplate as { spec?: { template?: { spec?: unknown } } } | undefined)?.spec?.template
          ?.spec as Record<string, unknown>) ??
        ((o.spec?.template as { spec?: unknown } | undefined)?.spec as Record<string, unknown>);
      const labels = { app: name, 'app.kubernetes.io/part-of': 'bulk' };
      manifests.push({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: 'bulk', labels },
        spec: {
          replicas: 1,
          selector: { matchLabels: { app: name } },
          template: { metadata: { labels }, spec },
        },
      });
    }
  return { manifests, podSpecs: workloads };
}
