import { flagsUsage, listFlag, parseServiceFlags } from '../core/service/service-flags.js';
import { TRUST_FLAGS } from '../core/service/trust-flags.js';
import { AGENT_FLAGS, nodeServiceConfig } from './config.js';
import type { ToolsRunnerServes } from './tools-runner.js';

/** The agent's flags a tools runner shares (same names, same SECO_* variables: one pod, one environment). */
const SHARED = [
  'node',
  'host-root',
  'proc-root',
  'nats',
  'nats-enroll-creds',
  'enroll-token-file',
  'cluster',
  'listen',
  'job-deadline',
  'job-idle',
  'heartbeat',
  // Image tools: the tool data cache, and registries as the agent pulls from them.
  'cache-dir',
  'insecure-registry',
] as const;

const FLAGS = {
  ...(Object.fromEntries(SHARED.map((name) => [name, AGENT_FLAGS[name]])) as Pick<
    typeof AGENT_FLAGS,
    (typeof SHARED)[number]
  >),
  ...TRUST_FLAGS,
  serves: {
    env: 'SECO_TOOLS_SERVES',
    help: "which tool jobs to take: node (this node's, beside the agent in its pod) or services (tools aimed at Services: the seco-tools Deployment)",
    fallback: 'node',
  },
  'service-networks': {
    env: 'SECO_SERVICE_NETWORKS',
    help: "the cluster's Service CIDRs, comma-separated (a Service tool job's ClusterIP outside them is refused); default the private ranges",
    fallback: '',
  },
} as const;

export const TOOLS_RUNNER_USAGE = flagsUsage(
  'seco tools — the seco tools runner: third-party tools through the secure executor, jobs over NATS',
  FLAGS,
);

export type ToolsRunnerConfig = ReturnType<typeof nodeServiceConfig> & {
  serves: ToolsRunnerServes;
  cluster?: string;
  /** Checked where the tools run (core/tools/service-tools-job.ts), a malformed CIDR refusing the job. */
  serviceNetworks?: string[];
  /** The published ClamAV signatures and YARA rules are cached below it (`<cache-dir>/tooldata`). */
  cacheDir: string;
  insecureRegistries: string[];
};

function serves(value: string): ToolsRunnerServes {
  if (value !== 'node' && value !== 'services')
    throw new Error(`--serves ${JSON.stringify(value)}: expected node or services`);
  return value;
}

/** Flags win over SECO_* environment variables, which win over defaults (as the agent's: agent/config.ts). */
export function toolsRunnerConfig(argv: readonly string[], env: NodeJS.ProcessEnv): ToolsRunnerConfig {
  const values = parseServiceFlags(FLAGS, argv, env);
  return {
    serves: serves(values.serves),
    ...nodeServiceConfig(values),
    cacheDir: values['cache-dir'],
    insecureRegistries: listFlag(values['insecure-registry']),
    ...(values.cluster ? { cluster: values.cluster } : {}),
    ...(values['service-networks'] ? { serviceNetworks: listFlag(values['service-networks']) } : {}),
  };
}
