import { Args, Command } from '@oclif/core';
import { aggregatorFlags } from '../cluster/aggregator-flags.js';
import { EXIT_INPUT } from '../output/exit-codes.js';
import { outputFlags, parseSeverityList } from '../output/shared-flags.js';

export default class Results extends Command {
  static override summary = 'List past cluster scans, or print one scan’s report.';
  static override description = [
    `Without SCAN_ID: the newest scans the aggregator stored: id, state (incomplete when a job failed or timed out, or input could not be read), finish time, duration, open findings per severity, problems (what was not scanned) and target.`,
    `With SCAN_ID: that scan's merged report, in any output format, with the same exit codes as scan.`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> results',
    '<%= config.bin %> results 01jd8x… -o sarif > scan.sarif',
  ];

  static override args = {
    scanId: Args.string({ description: 'a scan id from the listing', required: false, ignoreStdin: true }),
  };

  static override flags = { ...aggregatorFlags, ...outputFlags };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Results);
    const { connectAggregator } = await import('../cluster/connect-aggregator.js');
    let show: ReturnType<typeof parseSeverityList>;
    let connection: Awaited<ReturnType<typeof connectAggregator>>;
    try {
      show = parseSeverityList(flags.severity);
      connection = await connectAggregator(flags);
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    const { client } = connection;
    try {
      if (args.scanId) {
        const report = await client.getResult(args.scanId);
        const { emitWithFlags } = await import('../output/emit-report.js');
        process.exitCode = emitWithFlags(report, flags, show, this.config.version);
        return;
      }
      const scans = await client.listResults(50);
      if (flags.output === 'json') {
        process.stdout.write(`${JSON.stringify(scans, null, 2)}\n`);
        return;
      }
      if (flags.output === 'yaml') {
        process.stdout.write((await import('yaml')).stringify(scans));
        return;
      }
      const { renderResultsListing } = await import('../output/results-listing.js');
      process.stdout.write(renderResultsListing(scans));
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    } finally {
      client.close();
    }
  }
}
