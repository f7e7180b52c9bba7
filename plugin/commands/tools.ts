import { Command, Flags } from '@oclif/core';
import { aggregatorFlags } from '../cluster/aggregator-flags.js';

export default class Tools extends Command {
  static override summary =
    'List the third-party tool adapters and which tools this machine has, with versions.';
  static override description =
    "Every adapter seco has (where it runs: host, image or service targets), the binary it needs, and whether it is installed here: its path and version, asked through the secure executor (the same checks as a scan: root-owned, not writable by others, no symlink). A tool that is missing or refused says why. Then, from the cluster (the aggregator's status, through the API server or --aggregator-url), each node's tools as its tools runner reports them in its heartbeat: the version the binary printed, or why it cannot run; --local skips the cluster.";

  static override examples = [
    '<%= config.bin %> tools',
    '<%= config.bin %> tools -o json',
    '<%= config.bin %> tools --local',
  ];

  static override flags = {
    ...aggregatorFlags,
    local: Flags.boolean({ description: "this machine's tools only: no cluster access" }),
    output: Flags.string({
      char: 'o',
      description: 'output format',
      options: ['table', 'json'],
      default: 'table',
    }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Tools);
    const [
      { SecureExecutor },
      { AuditMemory },
      { installedTools, toolAvailability },
      { TOOL_ADAPTERS },
      { alignColumns },
    ] = await Promise.all([
      import('../../core/exec/executor.js'),
      import('../../core/exec/audit-log.js'),
      import('../../core/tools/installed-tools.js'),
      import('../../core/tools/registry.js'),
      import('../output/align-columns.js'),
    ]);
    const audit = new AuditMemory();
    const executor = new SecureExecutor({ tools: await installedTools(TOOL_ADAPTERS), audit: audit.sink });
    const rows = await toolAvailability(TOOL_ADAPTERS, executor);
    const cluster = flags.local
      ? undefined
      : await (await import('../tools/cluster-tools.js')).clusterTools(flags);
    if (cluster?.error) process.stderr.write(`nodes: ${cluster.error}\n`);
    if (flags.output === 'json') {
      const described = rows.map((row) => ({
        ...row,
        description: TOOL_ADAPTERS.find((a) => a.name === row.tool)?.description,
      }));
      const nodes = cluster
        ? { nodes: cluster.nodes ?? [], ...(cluster.error ? { nodesError: cluster.error } : {}) }
        : {};
      process.stdout.write(`${JSON.stringify({ local: described, ...nodes }, null, 2)}\n`);
      return;
    }
    const table = [
      ['TOOL', 'RUNS ON', 'BINARY', 'VERSION', 'STATUS'],
      ...rows.map((r) => [r.tool, r.place, r.path ?? r.binary, r.version ?? '-', r.problem ?? 'ok']),
    ];
    process.stdout.write(`${alignColumns(table).join('\n')}\n`);
    if (cluster?.nodes) {
      const { nodeToolRows } = await import('../tools/node-tools.js');
      process.stdout.write(`\n${alignColumns(nodeToolRows(cluster.nodes)).join('\n')}\n`);
    }
  }
}
