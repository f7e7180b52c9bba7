import { Command, Flags } from '@oclif/core';
import { buildInfo } from '../../core/build/build-info.js';
import { aggregatorFlags } from '../cluster/aggregator-flags.js';
import type { VersionReport } from '../status/version-report.js';

export default class Version extends Command {
  static override summary = "Print the client's version and commit, and the aggregator's when it answers.";
  static override description = [
    `Like kubectl version: the plugin's build, then the build of the aggregator replica reached through the API server's service proxy (or --aggregator-url). An aggregator that does not answer leaves the client version printed, a message on stderr and exit code 1. --client never touches the cluster.`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> version',
    '<%= config.bin %> version --client -o json',
    '<%= config.bin %> version -o yaml --context prod',
  ];

  static override flags = {
    client: Flags.boolean({ description: 'the client version only: no cluster access' }),
    output: Flags.string({
      char: 'o',
      description: 'json or yaml instead of text',
      options: ['json', 'yaml'],
    }),
    ...aggregatorFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(Version);
    const report: VersionReport = {
      clientVersion: {
        ...buildInfo(),
        platform: `${process.platform}/${process.arch}`,
        nodeVersion: process.version,
      },
    };
    let error: string | undefined;
    if (!flags.client) {
      // Loaded only here: --client must not pay for the Kubernetes client.
      const { serverVersion } = await import('../status/server-version.js');
      const answer = await serverVersion(flags);
      if (answer.server) report.serverVersion = answer.server;
      error = answer.error;
    }
    const { renderVersion } = await import('../status/version-report.js');
    process.stdout.write(await renderVersion(report, flags.output));
    if (error) {
      process.stderr.write(`error: ${error}\n`);
      process.exitCode = 1;
    }
  }
}
