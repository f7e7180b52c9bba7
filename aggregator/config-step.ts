import { z } from 'zod';
import { CONFIG_CHECKS, CONTEXT_KINDS } from '../core/config/registry.js';
import { scanConfig } from '../core/config/scan-config.js';
import { Suppressor } from '../core/config/suppression.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { type Finding, InputProblem, ReportResource } from '../core/model/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { configContextKey, encodeFindings, jobResultKey } from '../core/store/scan-objects.js';
import { appContext } from './app-context.js';
import { loadScanPolicies } from './scan-policies.js';
import type { ResolvedApp } from './target-resolver.js';

/** The config scan's share of a report besides its findings, stored until the report is written. */
export const ConfigContext = z.object({
  resources: z.array(ReportResource),
  problems: z.array(InputProblem),
  skippedKinds: z.record(z.string(), z.number().int().positive()),
});
export type ConfigContext = z.infer<typeof ConfigContext>;

/** The config "job" is the aggregator's own: its findings are stored like an agent's, under this id. */
export const CONFIG_JOB_ID = 'config';

/**
 * Runs the configuration checks on the app's workloads with the context they read (namespaces,
 * policies, RBAC), and stores the findings and context so any replica can finish the report.
 */
export async function runConfigStep(
  kube: KubeView,
  store: ObjectStore,
  scanId: string,
  app: ResolvedApp,
  options: { cluster?: string; now: Date; policies?: boolean; clusterPolicies?: boolean },
): Promise<Finding[]> {
  const context = await appContext(kube, app.workloads);
  const policies = await loadScanPolicies(kube, store, scanId, {
    sent: options.policies === true,
    cluster: options.clusterPolicies === true,
  });
  const scanned = scanConfig(
    [...app.workloads, ...context.objects].map((object) => ({ object })),
    {
      checks: CONFIG_CHECKS,
      suppressor: new Suppressor([], options.now),
      contextKinds: CONTEXT_KINDS,
      cluster: options.cluster,
      now: options.now,
      ...(policies ? { policies: policies.set, policyParams: policies.params } : {}),
    },
  );
  const stored: ConfigContext = {
    resources: scanned.resources,
    problems: [
      ...scanned.problems,
      ...(policies?.problems ?? []),
      ...context.problems.map((p) => ({ kind: 'warning' as const, ...p })),
    ],
    skippedKinds: scanned.skippedKinds,
  };
  await store.put(jobResultKey(scanId, CONFIG_JOB_ID), encodeFindings(scanned.findings));
  await store.put(configContextKey(scanId), JSON.stringify(stored), { contentType: 'application/json' });
  return scanned.findings;
}

export async function loadConfigContext(store: ObjectStore, scanId: string): Promise<ConfigContext> {
  const body = await store.get(configContextKey(scanId));
  if (!body) return { resources: [], problems: [], skippedKinds: {} };
  const parsed = ConfigContext.safeParse(JSON.parse(body.toString('utf8')));
  if (!parsed.success)
    throw new Error(`${configContextKey(scanId)}: invalid: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}
