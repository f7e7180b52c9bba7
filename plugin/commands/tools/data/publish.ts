import { Command, Flags } from '@oclif/core';
import { EXIT_INPUT } from '../../../output/exit-codes.js';

export default class ToolsDataPublish extends Command {
  static override summary =
    'Publish ClamAV signature databases and YARA rules to the object store, where the cluster’s tools read them.';
  static override description = [
    `Each file is stored once under its SHA-256 (tooldata/blobs/sha256/…), then a manifest naming them (tooldata/manifest.json); tools jobs are granted reads of exactly these, and the tools runners cache them by digest. A kind not given keeps what was published before. The official ClamAV databases (main.cvd, daily.cvd, bytecode.cvd) come from freshclam on a machine with internet access (see README, "ClamAV signatures"). YARA rules must be self-contained (include is refused).`,
  ].join('\n\n');
  static override examples = [
    '<%= config.bin %> tools data publish --clamav /var/lib/clamav --s3-endpoint http://localhost:9000',
    '<%= config.bin %> tools data publish --yara ./rules --s3-endpoint https://s3.example.com --s3-bucket seco',
  ];
  static override flags = {
    clamav: Flags.string({ description: 'directory of ClamAV databases (.cvd, .cld, .hdb, .ndb, .ldb, …)' }),
    yara: Flags.string({ description: 'directory of YARA rule files (.yar, .yara)' }),
    's3-endpoint': Flags.string({
      description: 'the S3 endpoint the cluster’s seco uses',
      env: 'SECO_S3_ENDPOINT',
      required: true,
    }),
    's3-bucket': Flags.string({ description: 'bucket', env: 'SECO_S3_BUCKET', default: 'seco' }),
    's3-access-key': Flags.string({ description: 'S3 access key', env: 'SECO_S3_ACCESS_KEY' }),
    's3-secret-key': Flags.string({ description: 'S3 secret key', env: 'SECO_S3_SECRET_KEY' }),
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ToolsDataPublish);
    if (!flags.clamav && !flags.yara)
      this.error('nothing to publish: give --clamav DIR, --yara DIR or both', { exit: EXIT_INPUT });
    const [{ S3ObjectStore }, { publishToolData }] = await Promise.all([
      import('../../../../core/store/s3/s3-object-store.js'),
      import('../../../../core/tools/tool-data-store.js'),
    ]);
    const store = new S3ObjectStore({
      endpoint: flags['s3-endpoint'],
      bucket: flags['s3-bucket'],
      accessKey: flags['s3-access-key'] ?? '',
      secretKey: flags['s3-secret-key'] ?? '',
    });
    try {
      const manifest = await publishToolData(store, {
        ...(flags.clamav ? { clamav: flags.clamav } : {}),
        ...(flags.yara ? { yara: flags.yara } : {}),
      });
      this.log(
        `published tool data revision ${manifest.revision.slice(0, 12)} to ${flags['s3-endpoint']} bucket ${flags['s3-bucket']}`,
      );
      for (const kind of ['clamav', 'yara'] as const)
        if (manifest[kind]) this.log(`  ${kind}: ${Object.keys(manifest[kind]).join(', ')}`);
    } catch (error) {
      this.error(`publishing to ${flags['s3-endpoint']}: ${(error as Error).message}`, { exit: EXIT_INPUT });
    }
  }
}
