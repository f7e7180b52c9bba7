import { Command, Flags } from '@oclif/core';
import { defaultVulnDbDir } from '../../output/vuln-db-dir.js';

export default class DbStatus extends Command {
  static override summary = 'Show the local vulnerability database: records per ecosystem and age.';
  static override flags = {
    'db-dir': Flags.string({
      description: 'database directory (default: $SECO_VULN_DB or ~/.cache/seco/vulndb)',
    }),
    output: Flags.string({ char: 'o', options: ['table', 'json'], default: 'table' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(DbStatus);
    const { readVulnDbMeta } = await import('../../../core/vuln/vuln-db.js');
    const dir = flags['db-dir'] ?? defaultVulnDbDir();
    const meta = await readVulnDbMeta(dir);
    if (!meta)
      this.error(`no vulnerability database in ${dir}: run ${this.config.bin} db import PATH`, { exit: 2 });
    // A database an older version left behind after importing nothing: empty is not fresh.
    if (Object.values(meta.ecosystems).reduce((n, c) => n + c, 0) === 0)
      this.error(
        `the vulnerability database in ${dir} holds no advisories: run ${this.config.bin} db import PATH`,
        {
          exit: 2,
        },
      );
    if (flags.output === 'json') {
      this.log(JSON.stringify({ dir, ...meta }, null, 2));
      return;
    }
    const ageDays = (Date.now() - Date.parse(meta.updatedAt)) / 86_400_000;
    this.log(`database: ${dir}`);
    this.log(
      `updated:  ${meta.updatedAt} (${ageDays.toFixed(1)} days ago); newest advisory modified ${meta.newestModified ?? 'unknown'}`,
    );
    for (const [ecosystem, count] of Object.entries(meta.ecosystems))
      this.log(`  ${ecosystem.padEnd(20)} ${count}`);
  }
}
