import { readFile } from 'node:fs/promises';
import { Args, Command, Flags } from '@oclif/core';
import { EXIT_INPUT, emitWithFlags } from '../../output/emit-report.js';
import { outputFlags, parseSeverityList } from '../../output/shared-flags.js';

export default class Scan extends Command {
  static override summary = 'Scan Kubernetes manifests (local mode) for security problems.';
  static override description =
    `Reads manifests from files, directories (recursively) or stdin (-f -), checks every object
against the Pod Security Standards and hardening checks, and prints a report.

Exit codes: 0 nothing at or above --fail-on; 1 an open finding at or above --fail-on;
2 usage or input errors (a file that would not parse, a refused file) — the report of
everything that could be read is still printed.`;

  static override examples = [
    '<%= config.bin %> scan -f examples/demo-app/common',
    'helm template ./chart | <%= config.bin %> scan -f - --fail-on high',
    '<%= config.bin %> scan -f k8s/ -o sarif > seco.sarif',
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
    ignore: Flags.string({
      description: 'YAML file of suppressions (ignores: [{id, resource, reason, expires}])',
    }),
    ...outputFlags,
  };

  async run(): Promise<void> {
    const { args, flags } = await this.parse(Scan);
    if (!flags.filename || flags.filename.length === 0) {
      this.error(
        args.target
          ? `scanning ${args.target} in a cluster needs the cluster pipeline (kubectl seco install), which this build does not include yet; scan manifests with -f PATH`
          : 'nothing to scan: give manifests with -f PATH (or -f - for stdin)',
        { exit: EXIT_INPUT },
      );
    }
    const [{ scanManifestFiles }, { readStdin }, { parseIgnoreFile }] = await Promise.all([
      import('../../../core/config/scan-manifest-files.js'),
      import('../../../core/config/input/read-sources.js'),
      import('../../../core/config/ignore-file.js'),
    ]);
    let ignoreRules: ReturnType<typeof parseIgnoreFile> = [];
    let show: ReturnType<typeof parseSeverityList>;
    try {
      if (flags.ignore) ignoreRules = parseIgnoreFile(flags.ignore, await readFile(flags.ignore, 'utf8'));
      show = parseSeverityList(flags.severity);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      this.error(code ? `cannot read ignore file ${flags.ignore}: ${code}` : (error as Error).message, {
        exit: EXIT_INPUT,
      });
    }
    const report = await scanManifestFiles(flags.filename, { stdin: () => readStdin(), ignoreRules });
    process.exitCode = emitWithFlags(report, flags, show, this.config.version);
  }
}
