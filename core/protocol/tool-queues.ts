import { type Job, SERVICE_TOOLS_NODE } from './bus-messages.js';

/**
 * Where third-party tool jobs wait. The tools do not run in the agent container (seco's image has no
 * shell, and the tools need one): a node's tool jobs go to the tools runner beside its agent, in the
 * agent's pod, which takes the node's tools queue. Tools aimed at Services are the tool jobs of the
 * pseudo-node SERVICE_TOOLS_NODE (`_services`), so they wait in `_services/tools`, which the `seco-tools`
 * Deployment's replicas share — one routing rule for every tool job, and the node-bound machinery (tickets,
 * outcome subjects, NATS permissions) needs no second identity scheme. A `/` never occurs in a Kubernetes
 * node name (RFC 1123 subdomain), so no tools queue can be a node's own queue; the bus escapes it into a
 * subject token.
 */
export function nodeToolsQueue(node: string): string {
  return `${node}/tools`;
}

/** The queue the `seco-tools` Deployment's replicas take Service-target tool jobs from. */
export function serviceToolsQueue(): string {
  return nodeToolsQueue(SERVICE_TOOLS_NODE);
}

/** The queue a job is published on: the node's own (the agent), or a tools runner's. One line per job kind. */
export function jobQueue(job: Job): string {
  switch (job.kind) {
    case 'tools':
      return nodeToolsQueue(job.node);
    default:
      return job.node;
  }
}
