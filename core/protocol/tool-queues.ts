import type { Job } from './bus-messages.js';

/**
 * Where third-party tool jobs wait. The tools do not run in the agent container (seco's image has no
 * shell, and the tools need one): node tools run in the tools runner beside the agent, in the agent's pod,
 * which takes the node's tools queue; tools aimed at Services run in the `seco-tools` Deployment, whose
 * replicas share one queue. A `/` never occurs in a Kubernetes node name (RFC 1123 subdomain), so no
 * tools queue can be a node's own queue; the bus escapes it into a subject token.
 */
export function nodeToolsQueue(node: string): string {
  return `${node}/tools`;
}

/** The queue the `seco-tools` Deployment's replicas take Service-target tool jobs from. */
export const SERVICE_TOOLS_QUEUE = 'seco-tools/services';

/** The queue a job is published on: the node's own (the agent), or a tools runner's. One line per job kind. */
export function jobQueue(job: Job): string {
  switch (job.kind) {
    case 'tools':
      return nodeToolsQueue(job.node);
    default:
      return job.node;
  }
}
