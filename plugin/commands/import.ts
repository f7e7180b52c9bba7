import { Args, Command, Flags } from '@oclif/core';
import { EXIT_INPUT } from '../output/exit-codes.js';
import { outputFlags, parseSeverityList } from '../output/shared-flags.js';

export default class Import extends Command {
  static override summary = 'Turn trivy, kubescape and kube-bench JSON reports into one seco report.';
  static override description = [
    `Recognises each file's format from its content (trivy image/fs/config/k8s JSON, kubescape JSON, kube-bench --json; a seco report JSON is taken as seco's own findings), converts the findings to seco's model and merges duplicates: the same advisory in the same package@version of the same image, the same control on the same object or node. A kube-bench PASS is no finding.`,
    'Prints the report in any -o format; --fail-on gates as scan does. "-" reads stdin.',
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> import trivy.json kubescape.json --fail-on high',
    '<%= config.bin %> import kube-bench.json --node worker-1 -o sarif',
    'trivy image -f json nginx | <%= config.bin %> import - -o json',
  ];

  static override strict = false;
  static override args = {
    file: Args.string({ description: 'JSON report files (several allowed)', required: true }),
  };

  static override flags = {
    ...outputFlags,
    node: Flags.string({ description: 'the node a kube-bench report is about (kube-bench does not say)' }),
    cluster: Flags.string({ description: 'cluster name for the findings' }),
  };

  async run(): Promise<void> {
    const { argv, flags } = await this.parse(Import);
    let show: ReturnType<typeof parseSeverityList>;
    try {
      show = parseSeverityList(flags.severity);
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    const [{ importFiles, readReportFile }, { emitWithFlags }] = await Promise.all([
      import('../../core/tools/import/import-files.js'),
      import('../output/emit-report.js'),
    ]);
    const files = argv as string[];
    const report = await importFiles(files, {
      ...(flags.node ? { node: flags.node } : {}),
      ...(flags.cluster ? { cluster: flags.cluster } : {}),
      read: (file) => (file === '-' ? readStdin() : readReportFile(file)),
    });
    process.exitCode = emitWithFlags(report, flags, show, this.config.version);
  }
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
