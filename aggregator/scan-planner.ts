import type { KubeObject } from '../core/kube/types.js';
import type { InputProblem } from '../core/model/index.js';
import { toolsWanted } from '../core/protocol/index.js';
import { CONFIG_JOB_ID, runConfigStep } from './config-step.js';
import { jobRecord, planJobs } from './job-planner.js';
import { withPullCredentials } from './pull-credentials.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import { type ServiceTargets, serviceTargets } from './service-targets.js';
import { nodesOf, resolveTarget, TargetNotFoundError } from './target-resolver.js';

/** The `resolving` step: find what the target runs, scan its configuration, queue the agents' jobs. */
export class ScanPlanner {
  constructor(private readonly coordinator: ScanCoordinator) {}

  /** The app's Services for the service tools, when any is asked for; a Service list that fails is a problem. */
  private async serviceTargets(
    scanners: readonly string[],
    pods: readonly KubeObject[],
  ): Promise<ServiceTargets> {
    if (toolsWanted(scanners, 'service').length === 0) return { targets: [], problems: [] };
    const services: KubeObject[] = [];
    const problems: InputProblem[] = [];
    const namespaces = new Set(pods.map((p) => p.metadata?.namespace).filter((n): n is string => !!n));
    for (const namespace of namespaces)
      try {
        for (const service of await this.coordinator.options.kube.list('Service', { namespace }))
          services.push(service);
      } catch (error) {
        problems.push({
          kind: 'error',
          source: `Services in ${namespace}`,
          message: (error as Error).message,
        });
      }
    const found = serviceTargets(services, pods);
    if (found.targets.length === 0 && found.problems.length === 0)
      found.problems.push({
        kind: 'warning',
        source: 'service tools',
        message: 'no Service selects the app’s pods: the network tools had nothing to probe',
      });
    return { targets: found.targets, problems: [...problems, ...found.problems] };
  }

  async plan(scanId: string): Promise<void> {
    const c = this.coordinator;
    const { kube, store, cluster } = c.options;
    const record = await c.store.get(scanId);
    if (record?.status !== 'resolving' || !c.isMine(record)) return;
    let app: Awaited<ReturnType<typeof resolveTarget>>;
    try {
      app = await resolveTarget(kube, record.target);
    } catch (error) {
      const notFound = error instanceof TargetNotFoundError;
      await c.failScan(
        scanId,
        notFound ? 'not-found' : 'internal',
        `cannot resolve ${record.targetName}: ${(error as Error).message}`,
      );
      return;
    }
    const nodes = nodesOf(app.pods);
    await c.publishProgress(
      record,
      `${app.name}: ${app.workloads.length} workload(s), ${app.pods.length} pod(s) on ${nodes.length} node(s)`,
    );
    if (record.scanners.includes('config')) {
      const findings = await runConfigStep(kube, store, scanId, app, {
        cluster,
        now: new Date(c.now()),
        policies: record.policies !== undefined,
        clusterPolicies: record.clusterPolicies === true,
      });
      c.jobFindings.set(scanId, CONFIG_JOB_ID, findings);
      await c.publishFindings(scanId, c.streamed.fresh(scanId, findings));
    }
    const live = await c.agents.liveQueues();
    const services = await this.serviceTargets(record.scanners, app.pods);
    const credentialed = await withPullCredentials(
      kube,
      planJobs(record, app.pods, c.now(), services.targets),
    );
    const planned = credentialed.planned;
    const problems = [...unscheduled(app.pods), ...services.problems, ...credentialed.problems];
    const updated = await c.store.update(scanId, (r) => {
      if (r.status !== 'resolving') return undefined;
      r.status = 'running';
      r.targetName = app.name;
      r.problems = [...r.problems, ...problems];
      for (const p of planned) r.jobs[p.jobId] = jobRecord(p.job, p.record.queuedAt, live);
      return r;
    });
    if (!updated?.changed) return;
    // Recorded before queued: an outcome can only arrive for a job the record already holds.
    for (const p of planned) if (updated.record.jobs[p.jobId]?.state === 'queued') await c.queueJob(p.job);
    await c.publishProgress(updated.record, `queued ${planned.length} job(s)`);
    await c.finishIfSettled(updated.record);
  }
}

function unscheduled(pods: readonly KubeObject[]): InputProblem[] {
  return pods
    .filter((p) => !nodesOf([p]).length)
    .map((p) => ({
      kind: 'warning' as const,
      source: `pod ${p.metadata?.namespace}/${p.metadata?.name}`,
      message: 'not scheduled on a node: its node and runtime were not scanned',
    }));
}
