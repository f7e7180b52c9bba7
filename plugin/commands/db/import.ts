import { Args, Command, Flags } from '@oclif/core';
import { defaultVulnDbDir } from '../../output/vuln-db-dir.js';

export default class DbImport extends Command {
  static override summary =
    'Import OSV advisories (a directory of OSV JSON files or an osv.dev all.zip) into the local database.';
  static override examples = [
    '<%= config.bin %> db import ./Debian-all.zip',
    '<%= config.bin %> db import ./advisories/ --db-dir /var/cache/seco',
  ];
  static override args = {
    path: Args.string({
      description: 'directory of OSV JSON files, or a zip export',
      required: true,
      ignoreStdin: true,
    }),
  };
  static override flags = {
    'db-dir': Flags.string({
      description: 'database directory (default: $SECO_VULN_DB or ~/.cache/seco/vulndb)',
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DbImport);
    const { importOsv } = await import('../../../core/vuln/vuln-db.js');
    const dir = flags['db-dir'] ?? defaultVulnDbDir();
    let result: Awaited<ReturnType<typeof importOsv>>;
    try {
      result = await importOsv(args.path, dir);
    } catch (error) {
      this.error(`${args.path}: ${(error as Error).message}`, { exit: 2 });
    }
    for (const p of result.problems) process.stderr.write(`skipped ${p.source}: ${p.message}\n`);
    this.log(`imported ${result.imported} advisories (${result.withdrawn} withdrawn) into ${dir}`);
    for (const [ecosystem, count] of Object.entries(result.meta.ecosystems))
      this.log(`  ${ecosystem}: ${count}`);
    if (result.problems.length > 0) process.exitCode = 2;
  }
}
