import { scanHost } from '../core/host/scan-host.js';
import type { Finding } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import { type ImageJobContext, type JobResult, runImageJob } from './image-job.js';
import type { JobWatch } from './job-watch.js';
import type { ToolsJobContext } from './tools-job.js';

export interface AgentContext
  extends ImageJobContext,
    Pick<ToolsJobContext, 'toolInputs' | 'toolAudit' | 'serviceNetworks' | 'toolDataCache'> {
  node: string;
  hostRoot: string;
  procRoot: string;
  cluster?: string;
}

export type { JobResult };

/**
 * Runs one job on this node and returns its findings, or its findings and the problems it met (an image
 * inventoried but not matched). `watch` carries the job's abort signal (its deadline or no-progress
 * timeout) and takes progress reports: image pulls report every chunk received, host scans every check,
 * runtime snapshots every process looked at.
 */
export async function runJob(
  job: Job,
  context: AgentContext,
  now: Date,
  watch?: JobWatch,
): Promise<Finding[] | JobResult> {
  switch (job.kind) {
    case 'host': {
      const result = await scanHost({
        hostRoot: context.hostRoot,
        procRoot: context.procRoot,
        nodeName: context.node,
        cluster: context.cluster,
        now,
        ...(watch ? { signal: watch.signal, onStep: watch.progress } : {}),
      });
      return result.findings;
    }
    case 'image':
      return runImageJob(job, context, now, watch);
    case 'tools':
      return (await import('./tools-job.js')).runToolsJob(job, context, now, watch);
    case 'runtime':
      return (await import('./runtime-snapshot.js')).runtimeSnapshot(
        job,
        context.procRoot,
        context.cluster,
        watch,
      );
  }
}
