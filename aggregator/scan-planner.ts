import type { KubeObject } from '../core/kube/types.js';
import type { InputProblem } from '../core/model/index.js';
import { CONFIG_JOB_ID, runConfigStep } from './config-step.js';
import { jobRecord, planJobs } from './job-planner.js';
import { withPullCredentials } from './pull-credentials.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import { nodesOf, resolveTarget, TargetNotFoundError } from './target-resolver.js';

/** The `resolving` step: find what the target runs, scan its configuration, queue the agents' jobs. */
export class ScanPlanner {
  constructor(private readonly coordinator: ScanCoordinator) {}

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
    const credentialed = await withPullCredentials(kube, planJobs(record, app.pods, c.now()));
    const planned = credentialed.planned;
    const problems = [...unscheduled(app.pods), ...credentialed.problems];
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
