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
    '<%= config.bin %> scan image oci-layout:./image:latest --tools clamav,yara --yara-rules rules.yar',
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
    tools: Flags.string({
      description:
        'also run these file scanners installed here on the image files, through the secure executor (clamav,yara)',
    }),
    scanners: Flags.string({
      description:
        'what runs, comma-separated: image (seco’s scan), tools (every image tool installed here), or tools by name (clamav,yara); default image plus --tools',
    }),
    'yara-rules': Flags.string({
      description: 'YARA rules file, or a directory of *.yar files, for yara (repeatable)',
      multiple: true,
    }),
    'clamav-db': Flags.string({
      description: 'ClamAV signature directory for --tools clamav (default /var/lib/clamav)',
    }),
    'tools-audit': Flags.string({
      description:
        'file the tool runs are audited to, one JSON line each (default ~/.local/state/seco/tools-audit.jsonl)',
    }),
    'insecure-registry': Flags.string({
      description: 'registry host[:port] to reach over plain HTTP (repeatable)',
      multiple: true,
    }),
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(ScanImage);
    let show: ReturnType<typeof parseSeverityList>;
    let choice: import('../../tools/local-tools.js').LocalChoice;
    try {
      show = parseSeverityList(flags.severity);
      const { localChoice } = await import('../../tools/local-tools.js');
      choice = localChoice(flags.scanners, flags.tools, 'image');
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
    if (!meta && choice.own)
      problems.push({
        kind: 'error',
        source: dbDir,
        message:
          'no vulnerability database here: packages were inventoried but not matched (run kubectl seco db import, or give --vuln-db)',
      });
    const index = meta ? await VulnIndex.load(dbDir, Object.keys(meta.ecosystems)) : undefined;
    const scanned = await scanImage(image, index, startedAt);
    // Without seco's own image scanner (--scanners clamav) the inventory still feeds -o cyclonedx.
    const result = choice.own ? scanned : { ...scanned, findings: [], problems: [] };
    if (flags.output === 'cyclonedx') {
      process.stdout.write(
        `${JSON.stringify(cycloneDx(image, result.packages, this.config.version, startedAt), null, 2)}\n`,
      );
      return;
    }
    const tools =
      choice.tools.length > 0 ? await this.runTools(choice.tools, flags, image, startedAt) : undefined;
    const report = buildReport({
      target: { kind: 'image', name: image.reference },
      startedAt,
      finishedAt: new Date(),
      findings: [...result.findings, ...(tools?.outputs.flatMap((o) => o.findings) ?? [])],
      resources: [{ kind: 'Image', name: `${image.reference}@${image.digest}` }],
      problems: [...problems, ...result.problems, ...(tools?.problems ?? [])],
      skippedKinds: {},
    });
    const { emitWithFlags } = await import('../../output/emit-report.js');
    process.exitCode = emitWithFlags(report, flags, show, this.config.version);
  }

  /** Writes the image's files to a private temp dir as its layers stream, runs the file scanners, removes it. */
  private async runTools(
    names: string[],
    flags: { 'yara-rules'?: string[]; 'clamav-db'?: string; 'tools-audit'?: string },
    image: import('../../../core/image/source/image-source.js').ResolvedImage,
    now: Date,
  ) {
    const [{ runLocalTools, defaultAuditFile }, { writeImageFiles }, fs, os, path] = await Promise.all([
      import('../../tools/local-tools.js'),
      import('../../../core/tools/image-filesystem.js'),
      import('node:fs/promises'),
      import('node:os'),
      import('node:path'),
    ]);
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'seco-image-files-'));
    try {
      const written = await writeImageFiles(image, { root });
      const ran = await runLocalTools(
        names,
        { place: 'image', root, image: `${image.reference}@${image.digest}` },
        {
          ...(flags['yara-rules'] ? { yaraRules: flags['yara-rules'] } : {}),
          ...(flags['clamav-db'] ? { clamavDatabase: flags['clamav-db'] } : {}),
        },
        flags['tools-audit'] ?? defaultAuditFile(),
        now,
      );
      const skipped = written.problems.map((p) => ({
        kind: 'warning' as const,
        source: p.source,
        message: p.message,
      }));
      return { outputs: ran.outputs, problems: [...skipped, ...ran.problems] };
    } finally {
      await fs.rm(root, { recursive: true, force: true });
    }
  }
}
