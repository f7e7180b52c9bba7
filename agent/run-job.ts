import { scanHost } from '../core/host/scan-host.js';
import type { Finding } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import { type ImageJobContext, type JobResult, runImageJob } from './image-job.js';

export interface AgentContext extends ImageJobContext {
  node: string;
  hostRoot: string;
  procRoot: string;
  cluster?: string;
}

export type { JobResult };

/**
 * Runs one job on this node and returns its findings, or its findings and the problems it met (an image
 * inventoried but not matched). Runtime snapshots arrive with the runtime scanner.
 */
export async function runJob(job: Job, context: AgentContext, now: Date): Promise<Finding[] | JobResult> {
  switch (job.kind) {
    case 'host': {
      const result = await scanHost({
        hostRoot: context.hostRoot,
        procRoot: context.procRoot,
        nodeName: context.node,
        cluster: context.cluster,
        now,
      });
      return result.findings;
    }
    case 'image':
      return runImageJob(job, context, now);
    case 'runtime':
      return (await import('./runtime-snapshot.js')).runtimeSnapshot(job, context.procRoot, context.cluster);
  }
}
