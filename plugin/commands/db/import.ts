import { Args, Command, Flags } from '@oclif/core';
import { defaultVulnDbDir } from '../../output/vuln-db-dir.js';

export default class DbImport extends Command {
  static override summary =
    'Import OSV advisories (a directory of OSV JSON files or an osv.dev all.zip) into the local database.';
  static override examples = [
    '<%= config.bin %> db import ./Debian-all.zip',
    '<%= config.bin %> db import ./advisories/ --db-dir /var/cache/seco',
    '<%= config.bin %> db import ./all.zip --s3-endpoint http://localhost:9000 --s3-bucket seco',
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
    's3-endpoint': Flags.string({
      description: 'also publish the database to this S3 endpoint, where cluster agents fetch it',
      env: 'SECO_S3_ENDPOINT',
    }),
    's3-bucket': Flags.string({ description: 'bucket', env: 'SECO_S3_BUCKET', default: 'seco' }),
    's3-access-key': Flags.string({ description: 'S3 access key', env: 'SECO_S3_ACCESS_KEY' }),
    's3-secret-key': Flags.string({ description: 'S3 secret key', env: 'SECO_S3_SECRET_KEY' }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(DbImport);
    const [{ importOsv }, { systemErrorMessage }] = await Promise.all([
      import('../../../core/vuln/vuln-db.js'),
      import('../../../core/errors/system-error-message.js'),
    ]);
    const dir = flags['db-dir'] ?? defaultVulnDbDir();
    let result: Awaited<ReturnType<typeof importOsv>>;
    try {
      result = await importOsv(args.path, dir);
    } catch (error) {
      this.error(`${args.path}: ${systemErrorMessage(error)}`, { exit: 2 });
    }
    const errors = result.problems.filter((p) => p.kind !== 'warning');
    for (const p of result.problems)
      process.stderr.write(`${p.kind === 'warning' ? 'warning' : 'skipped'}: ${p.source}: ${p.message}\n`);
    if (result.imported === 0) {
      // Nothing written: the database (if any) is as it was, and db status still tells its real age.
      this.logToStderr(
        `nothing imported from ${args.path}: the database in ${dir} is unchanged${result.meta ? '' : ' (there is none yet)'}`,
      );
      process.exitCode = errors.length > 0 ? 2 : 0;
      return;
    }
    this.log(`imported ${result.imported} advisories (${result.withdrawn} withdrawn) into ${dir}`);
    for (const [ecosystem, count] of Object.entries(result.meta?.ecosystems ?? {}))
      this.log(`  ${ecosystem}: ${count}`);
    if (flags['s3-endpoint']) await this.publish(dir, flags);
    if (errors.length > 0) process.exitCode = 2;
  }

  private async publish(dir: string, flags: Record<string, string | undefined>): Promise<void> {
    const [{ S3ObjectStore }, { publishVulnDb }] = await Promise.all([
      import('../../../core/store/s3/s3-object-store.js'),
      import('../../../core/vuln/vuln-db-store.js'),
    ]);
    const store = new S3ObjectStore({
      endpoint: flags['s3-endpoint']!,
      bucket: flags['s3-bucket'] ?? 'seco',
      accessKey: flags['s3-access-key'] ?? '',
      secretKey: flags['s3-secret-key'] ?? '',
    });
    try {
      const manifest = await publishVulnDb(dir, store);
      this.log(
        `published revision ${manifest.revision.slice(0, 12)} to ${flags['s3-endpoint']} bucket ${flags['s3-bucket']}`,
      );
    } catch (error) {
      this.error(`publishing to ${flags['s3-endpoint']}: ${(error as Error).message}`, { exit: 2 });
    }
  }
}
