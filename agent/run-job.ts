import { scanHost } from '../core/host/scan-host.js';
import { scanImage } from '../core/image/scan-image.js';
import { resolveImage } from '../core/image/source/resolve-image.js';
import type { Finding } from '../core/model/index.js';
import type { Job } from '../core/protocol/index.js';
import type { VulnIndex } from '../core/vuln/vuln-db.js';

export interface AgentContext {
  node: string;
  hostRoot: string;
  procRoot: string;
  cluster?: string;
  vulnIndex?: VulnIndex;
  insecureRegistries?: readonly string[];
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
    case 'image': {
      const image = await resolveImage(
        job.digest ? `${job.image.replace(/@sha256:[0-9a-f]{64}$/, '')}@${job.digest}` : job.image,
        {
          insecureRegistries: context.insecureRegistries ?? [],
        },
      );
      return (await scanImage(image, context.vulnIndex, now)).findings;
    }
    case 'runtime':
      throw new Error('runtime snapshot jobs need the runtime scanner, which this agent build does not have');
  }
}
