import { scanHost } from '../core/host/scan-host.js';
import type { Finding } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import { type ImageJobContext, runImageJob } from './image-job.js';

export interface AgentContext extends ImageJobContext {
  node: string;
  hostRoot: string;
  procRoot: string;
  cluster?: string;
}

/** Runs one job on this node and returns its findings. Runtime snapshots arrive with the runtime scanner. */
export async function runJob(job: Job, context: AgentContext, now: Date): Promise<Finding[]> {
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
