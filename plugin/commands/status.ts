import { Command, Flags } from '@oclif/core';
import { aggregatorFlags } from '../cluster/aggregator-flags.js';
import { directToken } from '../cluster/direct-token.js';

export default class Status extends Command {
  static override summary =
    "Show whether seco's stack is healthy: components, agents per node, the aggregator's checks.";
  static override description = [
    `Reads seco's workloads through the Kubernetes API (NATS, Minio, the aggregator Deployment, the agent DaemonSet: ready replicas and images), which nodes have no working agent and why (a taint the DaemonSet does not tolerate, a node selector, a NotReady node, a pending pod's conditions and events), and the aggregator's own /status (its version, NATS and S3 reachability, the vuln DB's age, agent heartbeats). Exit codes: 0 healthy, 1 degraded, 2 not installed or unreachable. -o json|yaml: docs/status.md.`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> status',
    '<%= config.bin %> status -o json | jq .agents.perNode',
    '<%= config.bin %> status --aggregator-url http://127.0.0.1:8080 --token "$TOKEN"',
  ];

  static override flags = {
    output: Flags.string({
      char: 'o',
      description: 'table (default), json or yaml',
      options: ['table', 'json', 'yaml'],
      default: 'table',
    }),
    'max-vuln-db-age': Flags.integer({
      description: 'hours after which the vulnerability database counts as stale (degraded)',
      default: 168,
      min: 1,
    }),
    ...aggregatorFlags,
    'agent-namespace': Flags.string({
      description: "the agents' namespace (an install of the one-namespace layout is found too)",
      default: 'seco-agents',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Status);
    const [{ collectStatus }, { STATUS_EXIT }] = await Promise.all([
      import('../status/collect-status.js'),
      import('../status/status-verdict.js'),
    ]);
    let report: Awaited<ReturnType<typeof collectStatus>>;
    try {
      report = await collectStatus({
        kubeconfig: flags.kubeconfig,
        context: flags.context,
        namespace: flags['seco-namespace'],
        agentNamespace: flags['agent-namespace'],
        aggregatorUrl: flags['aggregator-url'],
        token: flags['aggregator-url'] ? directToken(flags) : undefined,
        maxVulnDbAgeSeconds: flags['max-vuln-db-age'] * 3600,
      });
    } catch (error) {
      this.error(`cannot read seco's status: ${(error as Error).message}`, { exit: STATUS_EXIT.unreachable });
    }
    if (flags.output === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
    else if (flags.output === 'yaml')
      process.stdout.write((await import('yaml')).stringify(report, { lineWidth: 0 }));
    else {
      const { renderStatusTable } = await import('../status/render-status-table.js');
      process.stdout.write(renderStatusTable(report, process.stdout.isTTY === true && !process.env.NO_COLOR));
    }
    process.exitCode = STATUS_EXIT[report.health];
  }
}
