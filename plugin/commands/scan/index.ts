import { readFile } from 'node:fs/promises';
import { Args, Command, Flags, type Interfaces } from '@oclif/core';
import {
  COMPLIANCE_FRAMEWORKS,
  type ComplianceFrameworkName,
} from '../../../core/model/compliance-frameworks.js';
import { aggregatorFlags } from '../../cluster/aggregator-flags.js';
import { EXIT_INPUT } from '../../output/exit-codes.js';
import { outputFlags, parseSeverityList } from '../../output/shared-flags.js';

export default class Scan extends Command {
  static override summary = 'Scan an application in a cluster (ns/app), or manifests with -f (local mode).';
  static override description = [
    `Local mode (-f): reads manifests from files, directories (recursively) or stdin (-f -), checks every object against the Pod Security Standards and hardening checks, and prints a report.`,
    `Cluster mode (ns/app, -l, -A): the aggregator installed by \`kubectl seco install\` resolves the workload to its pods, nodes and images, scans its configuration, and has the node agents scan the nodes, images and running containers; progress shows on stderr, then the merged report prints. It is reached through the API server's service proxy with your kubeconfig credentials, or directly with --aggregator-url and --token.`,
    `Exit codes: 0 nothing at or above --fail-on; 1 an open finding at or above --fail-on; 2 usage or input errors, or an incomplete scan (a file that would not parse, a job that failed) — the report of everything that could be scanned is still printed.`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> scan -f examples/demo-app/common',
    'helm template ./chart | <%= config.bin %> scan -f - --fail-on high',
    '<%= config.bin %> scan -f k8s/ -o sarif > seco.sarif',
    '<%= config.bin %> scan -f k8s/ --policy examples/policies/',
    '<%= config.bin %> scan -f k8s/ --compliance cis',
    '<%= config.bin %> scan shop/web',
    '<%= config.bin %> scan deployment/web -n shop --scanners config,image',
    '<%= config.bin %> scan -n shop -l app=web --fail-on high',
    '<%= config.bin %> scan shop/web -w',
  ];

  static override args = {
    // ignoreStdin: stdin belongs to `-f -`; oclif would otherwise read it for a missing argument.
    target: Args.string({
      description: 'a workload in a cluster (namespace/name): cluster mode',
      required: false,
      ignoreStdin: true,
    }),
  };

  static override flags = {
    filename: Flags.string({
      char: 'f',
      description: 'manifest file or directory; - for stdin (repeatable)',
      multiple: true,
    }),
    policy: Flags.string({
      description:
        'ValidatingAdmissionPolicy file or directory (with bindings and params): report what each policy would reject (repeatable)',
      multiple: true,
    }),
    ignore: Flags.string({
      description: 'YAML file of suppressions (ignores: [{id, resource, reason, expires}])',
    }),
    namespace: Flags.string({ char: 'n', description: 'namespace of the workload (cluster mode)' }),
    selector: Flags.string({
      char: 'l',
      description: 'scan the pods matching this label selector (cluster mode)',
    }),
    'all-namespaces': Flags.boolean({ char: 'A', description: 'across all namespaces (cluster mode)' }),
    scanners: Flags.string({
      description:
        'cluster mode: which scanners run, comma-separated: config, image, host, runtime, tools (every third-party tool that applies), or tools by name (lynis, chkrootkit, rkhunter on nodes; clamav, yara on images; nmap, sslscan, testssl against the app’s Services)',
    }),
    quiet: Flags.boolean({ char: 'q', description: 'no progress on stderr' }),
    'cluster-policies': Flags.boolean({
      description:
        "cluster mode: also review the app's objects against the cluster's own ValidatingAdmissionPolicies",
    }),
    compliance: Flags.string({
      description:
        'also show the report as the controls of a framework, each pass/fail/not applicable, and a score',
      options: [...COMPLIANCE_FRAMEWORKS],
    }),
    watch: Flags.boolean({
      char: 'w',
      description:
        'cluster mode: follow the scan in the watch UI (scans screen, live); the report prints after q if it is done',
    }),
    ...aggregatorFlags,
    ...outputFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Scan);
    const clusterMode = args.target !== undefined || flags.selector !== undefined || flags['all-namespaces'];
    if (clusterMode && flags.filename?.length)
      this.error('give either -f PATH (local mode) or a cluster target, not both', { exit: EXIT_INPUT });
    if (clusterMode) return this.scanCluster(args.target, flags);
    if (!flags.filename || flags.filename.length === 0) {
      this.error(
        'nothing to scan: give manifests with -f PATH (or -f - for stdin), or a workload in a cluster (ns/app)',
        {
          exit: EXIT_INPUT,
        },
      );
    }
    const [{ scanManifestFiles }, { readStdin }, { parseIgnoreFile }, { systemErrorMessage }] =
      await Promise.all([
        import('../../../core/config/scan-manifest-files.js'),
        import('../../../core/config/input/read-sources.js'),
        import('../../../core/config/ignore-file.js'),
        import('../../../core/errors/system-error-message.js'),
      ]);
    let ignoreRules: ReturnType<typeof parseIgnoreFile> = [];
    let show: ReturnType<typeof parseSeverityList>;
    try {
      if (flags.ignore) ignoreRules = parseIgnoreFile(flags.ignore, await readFile(flags.ignore, 'utf8'));
      show = parseSeverityList(flags.severity);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.error(
        code
          ? `cannot read ignore file ${flags.ignore}: ${systemErrorMessage(error)}`
          : (error as Error).message,
        {
          exit: EXIT_INPUT,
        },
      );
    }
    const report = await scanManifestFiles(flags.filename, {
      stdin: () => readStdin(),
      ignoreRules,
      ...(flags.policy?.length ? { policyPaths: flags.policy } : {}),
    });
    await this.emit(report, flags, show);
  }

  /** The objects of the --policy files, sent with a cluster scan; files that do not read are an error. */
  private async policyObjects(paths: readonly string[]): Promise<Record<string, unknown>[]> {
    const [{ readSources, readStdin }, { parseManifests }] = await Promise.all([
      import('../../../core/config/input/read-sources.js'),
      import('../../../core/config/input/parse-manifests.js'),
    ]);
    const read = await readSources(paths, () => readStdin());
    const problems = [...read.problems];
    const objects: Record<string, unknown>[] = [];
    for (const source of read.sources) {
      const parsed = parseManifests(source);
      problems.push(...parsed.problems);
      for (const m of parsed.objects) objects.push(m.object);
    }
    if (problems.length > 0)
      throw new Error(
        problems.map((p) => `${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`).join('\n'),
      );
    return objects;
  }

  /** Adds the compliance view when asked for, then prints the report and sets the exit code. */
  private async emit(
    report: Parameters<typeof import('../../output/emit-report.js').emitWithFlags>[0],
    flags: Interfaces.InferredFlags<typeof Scan.flags>,
    show: ReturnType<typeof parseSeverityList>,
  ): Promise<void> {
    if (flags.compliance) {
      const [{ loadFramework }, { complianceView }] = await Promise.all([
        import('../../../core/compliance/framework-file.js'),
        import('../../../core/compliance/compliance-view.js'),
      ]);
      const framework = loadFramework(flags.compliance as ComplianceFrameworkName);
      report.compliance = complianceView(framework, report);
    }
    const { emitWithFlags } = await import('../../output/emit-report.js');
    process.exitCode = emitWithFlags(report, flags, show, this.config.version);
  }

  private async scanCluster(
    target: string | undefined,
    flags: Interfaces.InferredFlags<typeof Scan.flags>,
  ): Promise<void> {
    const [{ parseScanTarget }, { contextNamespace }, { parseScanners, runClusterScan, runClusterScanInto }] =
      await Promise.all([
        import('../../cluster/scan-target.js'),
        import('../../cluster/context-namespace.js'),
        import('../../cluster/run-cluster-scan.js'),
      ]);
    let parsed: ReturnType<typeof parseScanTarget>;
    let scanners: ReturnType<typeof parseScanners>;
    let show: ReturnType<typeof parseSeverityList>;
    try {
      const fallbackNs = flags['aggregator-url'] ? 'default' : contextNamespace(flags);
      parsed = parseScanTarget(
        target,
        { namespace: flags.namespace, selector: flags.selector, allNamespaces: flags['all-namespaces'] },
        fallbackNs,
      );
      scanners = parseScanners(flags.scanners);
      show = parseSeverityList(flags.severity);
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    let policies: Record<string, unknown>[] | undefined;
    try {
      policies = flags.policy?.length ? await this.policyObjects(flags.policy) : undefined;
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    const clusterFlags = {
      kubeconfig: flags.kubeconfig,
      context: flags.context,
      'aggregator-url': flags['aggregator-url'],
      token: flags.token,
      'token-file': flags['token-file'],
      'seco-namespace': flags['seco-namespace'],
      quiet: flags.quiet,
      ...(scanners ? { scanners } : {}),
      ...(policies ? { policies } : {}),
      ...(flags['cluster-policies'] ? { clusterPolicies: true } : {}),
    };
    // JSON of every severity is printed as the report arrives (bounded memory at any size); other
    // formats and --severity need the whole report first.
    if (flags.output === 'json' && !show && !flags.watch) {
      const { JsonReportWriter } = await import('../../output/json-report-stream.js');
      const { parseSeverity } = await import('../../../core/model/severity-levels.js');
      const writer = new JsonReportWriter(
        process.stdout,
        flags['fail-on'] ? parseSeverity(flags['fail-on']) : undefined,
      );
      try {
        await runClusterScanInto(parsed, clusterFlags, process.stderr, writer, process.stdout);
      } catch (error) {
        this.error((error as Error).message, { exit: EXIT_INPUT });
      }
      process.exitCode = writer.end();
      return;
    }
    let report: Awaited<ReturnType<typeof runClusterScan>> | undefined;
    try {
      const watching = flags.watch && process.stdout.isTTY && process.stdin.isTTY;
      if (flags.watch && !watching)
        process.stderr.write('--watch needs a terminal: following the scan on stderr\n');
      if (watching) {
        const { watchClusterScan } = await import('../../tui/watch-cluster-scan.js');
        const namespaces = parsed.allNamespaces ? [] : [parsed.namespace ?? 'default'];
        report = await watchClusterScan(
          parsed,
          clusterFlags,
          { minSeverity: 'info', namespaces },
          process.stderr,
        );
        // Left before the scan was done: it goes on in the cluster (said on stderr), nothing to print.
        if (!report) return;
      } else report = await runClusterScan(parsed, clusterFlags, process.stderr);
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    await this.emit(report, flags, show);
  }
}
