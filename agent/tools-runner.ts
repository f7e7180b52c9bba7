import { toolsHeartbeatKey } from '../core/bus/nats/nats-permissions.js';
import { type AuditSink, auditToStream } from '../core/exec/audit-log.js';
import { SecureExecutor } from '../core/exec/executor.js';
import type { Job, ToolVersion } from '../core/protocol/index.js';
import { nodeToolsQueue, SERVICE_TOOLS_NODE } from '../core/protocol/index.js';
import { installedTools, toolAvailability } from '../core/tools/installed-tools.js';
import { TOOL_ADAPTERS } from '../core/tools/registry.js';
import { Agent, type AgentOptions } from './agent.js';
import type { JobWatch } from './job-watch.js';
import type { AgentContext, JobResult } from './run-job.js';

/** Which tool jobs a runner takes: its node's (beside the agent, in the agent's pod) or those aimed at Services. */
export type ToolsRunnerServes = 'node' | 'services';

export interface ToolsRunnerOptions
  extends Omit<AgentOptions, 'queue' | 'heartbeat' | 'runJob' | 'runtimeStatus' | 'sensor'> {
  serves: ToolsRunnerServes;
  /** The node the runner's pod runs on (its heartbeat key); a `services` runner works as SERVICE_TOOLS_NODE. */
  node: string;
  /** The tools this runner has, as its heartbeat says them (toolVersions()). */
  tools: () => ToolVersion[];
}

/**
 * The node a runner's jobs name, and so its identity on the bus (enrollment, tickets, outcome subjects):
 * its pod's node beside an agent; SERVICE_TOOLS_NODE for a `seco-tools` replica, wherever it runs.
 */
export function toolsRunnerNode(serves: ToolsRunnerServes, node: string): string {
  return serves === 'node' ? node : SERVICE_TOOLS_NODE;
}

/** The queue a runner takes jobs from (core/protocol/tool-queues.ts). */
export function toolsRunnerQueue(serves: ToolsRunnerServes, node: string): string {
  return nodeToolsQueue(toolsRunnerNode(serves, node));
}

/**
 * Every adapter's tool in this container: path and version, the version asked from the binary itself through
 * the secure executor (the same checks as a job's run: root-owned, not writable by others, no symlink).
 */
export async function toolVersions(audit: AuditSink = auditToStream(process.stderr)): Promise<ToolVersion[]> {
  const executor = new SecureExecutor({ tools: await installedTools(TOOL_ADAPTERS), audit });
  return toolAvailability(TOOL_ADAPTERS, executor);
}

/**
 * What a tools runner runs: tool jobs only. Any other kind on its queue is a planner's mistake: it fails
 * with its reason rather than running a scanner this container was not built for. One line per tool job kind.
 */
export async function runToolJob(
  job: Job,
  context: AgentContext,
  now: Date,
  watch?: JobWatch,
): Promise<JobResult> {
  switch (job.kind) {
    case 'tools':
      return (await import('./tools-job.js')).runToolsJob(job, context, now, watch);
    default:
      throw new Error(`a tools runner runs tool jobs only, not ${job.kind} jobs (job ${job.jobId})`);
  }
}

/**
 * The tools runner: an agent's job loop (lanes, limits, tickets, results, outcome, ack last) over a tools
 * queue, with the secure executor and the tools image's binaries inside. Its heartbeat, beside the agent's
 * in `seco-agents`, carries each tool's version, so `kubectl seco tools` can say what every node has.
 */
export function toolsRunner(options: ToolsRunnerOptions): Agent {
  const { serves, tools, ...agent } = options;
  const queue = toolsRunnerQueue(serves, options.node);
  return new Agent({
    ...agent,
    node: toolsRunnerNode(serves, options.node),
    queue,
    runJob: runToolJob,
    heartbeat: {
      key: toolsHeartbeatKey(serves, options.node),
      // The pod's own node, also for a seco-tools replica (whose jobs name SERVICE_TOOLS_NODE): status rows say where.
      extra: () => ({ node: options.node, role: 'tools', queue, tools: tools() }),
    },
  });
}
