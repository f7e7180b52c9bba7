import { Args, Command, Flags } from '@oclif/core';
import { EXIT_INPUT } from '../../output/exit-codes.js';
import { outputFlags, parseSeverityList } from '../../output/shared-flags.js';
import { defaultVulnDbDir } from '../../output/vuln-db-dir.js';

export default class ScanImage extends Command {
  static override summary = 'Scan a container image: packages, SBOM, vulnerabilities, image config.';
  static override description = [
    `Reads the image's layers once as a stream (whiteouts honoured), inventories OS packages (dpkg, apk) and language packages (npm, PyPI), and matches them against the local OSV database (kubectl seco db import). -o cyclonedx prints the SBOM instead of the report.`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> scan image oci-layout:./image:latest',
    '<%= config.bin %> scan image docker-archive:app.tar --fail-on high',
    '<%= config.bin %> scan image oci-archive:app.oci.tar -o cyclonedx > sbom.json',
  ];

  static override args = {
    image: Args.string({
      description:
        'registry reference (host/repo:tag[@digest]), oci-layout:DIR[:TAG], oci-archive:PATH[:TAG] or docker-archive:PATH',
      required: true,
      ignoreStdin: true,
    }),
  };

  static override flags = {
    ...outputFlags,
    output: Flags.string({
      char: 'o',
      description: 'output format',
      options: ['table', 'json', 'yaml', 'sarif', 'cyclonedx'],
      default: 'table',
    }),
    'vuln-db': Flags.string({
      description: 'vulnerability database directory (default: the db import cache)',
    }),
    platform: Flags.string({
      description: 'platform to pick from a multi-platform image',
      default: 'linux/amd64',
    }),
    'insecure-registry': Flags.string({
      description: 'registry host[:port] to reach over plain HTTP (repeatable)',
      multiple: true,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ScanImage);
    let show: ReturnType<typeof parseSeverityList>;
    try {
      show = parseSeverityList(flags.severity);
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    const [{ resolveImage }, { scanImage }, { VulnIndex, readVulnDbMeta }, { buildReport }, { cycloneDx }] =
      await Promise.all([
        import('../../../core/image/source/resolve-image.js'),
        import('../../../core/image/scan-image.js'),
        import('../../../core/vuln/vuln-db.js'),
        import('../../../core/report/build-report.js'),
        import('../../../core/image/sbom.js'),
      ]);
    const [os = 'linux', architecture = 'amd64'] = flags.platform.split('/');
    const startedAt = new Date();
    let image: Awaited<ReturnType<typeof resolveImage>>;
    try {
      image = await resolveImage(args.image, {
        platform: { os, architecture },
        insecureRegistries: flags['insecure-registry'] ?? [],
      });
    } catch (error) {
      this.error(`${args.image}: ${(error as Error).message}`, { exit: EXIT_INPUT });
    }
    const dbDir = flags['vuln-db'] ?? defaultVulnDbDir();
    const meta = await readVulnDbMeta(dbDir);
    const problems: Array<{ kind?: 'error' | 'warning'; source: string; message: string }> = [];
    // Not matched is not clean: without a DB the scan cannot say there are no vulnerabilities (exit 2).
    if (!meta)
      problems.push({
        kind: 'error',
        source: dbDir,
        message:
          'no vulnerability database here: packages were inventoried but not matched (run kubectl seco db import, or give --vuln-db)',
      });
    const index = meta ? await VulnIndex.load(dbDir, Object.keys(meta.ecosystems)) : undefined;
    const result = await scanImage(image, index, startedAt);
    if (flags.output === 'cyclonedx') {
      process.stdout.write(
        `${JSON.stringify(cycloneDx(image, result.packages, this.config.version, startedAt), null, 2)}\n`,
      );
      return;
    }
    const report = buildReport({
      target: { kind: 'image', name: image.reference },
      startedAt,
      finishedAt: new Date(),
      findings: result.findings,
      resources: [{ kind: 'Image', name: `${image.reference}@${image.digest}` }],
      problems: [...problems, ...result.problems],
      skippedKinds: {},
    });
    const { emitWithFlags } = await import('../../output/emit-report.js');
    process.exitCode = emitWithFlags(report, flags, show, this.config.version);
  }
}
