import { Command, Flags } from '@oclif/core';
import { EXIT_INPUT } from '../../output/exit-codes.js';
import { outputFlags, parseSeverityList } from '../../output/shared-flags.js';

export default class ScanHost extends Command {
  static override summary = 'Run the CIS worker-node and OS hardening checks against a host root.';
  static override description = [
    `Reads the kubelet and kube-proxy settings (running processes, systemd units, config files), file permissions and owners of their configs, kubeconfigs and PKI, kernel sysctls and sshd_config, from a host filesystem mounted at --root (default /). Checks whose files are absent are "not applicable".`,
  ].join('\n\n');

  static override examples = [
    '<%= config.bin %> scan host',
    '<%= config.bin %> scan host --root /host -o json',
    '<%= config.bin %> scan host --tools lynis,chkrootkit',
    '<%= config.bin %> scan host --scanners rkhunter',
  ];

  static override flags = {
    root: Flags.string({ description: 'where the host filesystem is mounted', default: '/' }),
    'proc-root': Flags.string({ description: 'where the host /proc is mounted (default: <root>/proc)' }),
    node: Flags.string({ description: 'node name for the report (default: the host /etc/hostname)' }),
    tools: Flags.string({
      description:
        'also run these third-party tools installed here, through the secure executor (lynis,chkrootkit,rkhunter)',
    }),
    scanners: Flags.string({
      description:
        'what runs, comma-separated: host (seco’s checks), tools (every node tool installed here), or tools by name (lynis,chkrootkit,rkhunter); default host plus --tools',
    }),
    'rkhunter-tests': Flags.string({
      description: 'rkhunter tests to run (comma-separated; default its standard set)',
    }),
    'lynis-tests': Flags.string({ description: 'lynis test ids to run (comma-separated; default all)' }),
    'chkrootkit-tests': Flags.string({
      description: 'chkrootkit tests to run (comma-separated; default all)',
    }),
    'tools-audit': Flags.string({
      description:
        'file the tool runs are audited to, one JSON line each (default ~/.local/state/seco/tools-audit.jsonl)',
    }),
    ...outputFlags,
  };

  async run(): Promise<void> {
    const { flags } = await this.parse(ScanHost);
    let show: ReturnType<typeof parseSeverityList>;
    let choice: import('../../tools/local-tools.js').LocalChoice;
    try {
      show = parseSeverityList(flags.severity);
      const { localChoice } = await import('../../tools/local-tools.js');
      choice = localChoice(flags.scanners, flags.tools, 'host');
    } catch (error) {
      this.error((error as Error).message, { exit: EXIT_INPUT });
    }
    const [{ scanHost }, { buildReport }] = await Promise.all([
      import('../../../core/host/scan-host.js'),
      import('../../../core/report/build-report.js'),
    ]);
    const startedAt = new Date();
    const result = await scanHost({
      hostRoot: flags.root,
      procRoot: flags['proc-root'],
      nodeName: flags.node,
      now: startedAt,
    });
    const tools =
      choice.tools.length > 0 ? await this.runTools(choice.tools, flags, result.node, startedAt) : undefined;
    const toolFindings = tools?.outputs.flatMap((o) => o.findings) ?? [];
    const { mergeHostFindings } = await import('../../../core/tools/host-merge.js');
    const report = buildReport({
      target: { kind: 'host', name: result.node },
      startedAt,
      finishedAt: new Date(),
      findings: choice.own ? mergeHostFindings(result.findings, toolFindings) : toolFindings,
      resources: [{ kind: 'Node', name: result.node }],
      problems: tools?.problems ?? [],
      skippedKinds: {},
      ...(choice.own ? { checks: result.outcomes } : {}),
    });
    const { emitWithFlags } = await import('../../output/emit-report.js');
    process.exitCode = emitWithFlags(report, flags, show, this.config.version);
  }

  private async runTools(
    names: string[],
    flags: {
      root: string;
      'lynis-tests'?: string;
      'chkrootkit-tests'?: string;
      'rkhunter-tests'?: string;
      'tools-audit'?: string;
    },
    node: string,
    now: Date,
  ) {
    const { runLocalTools, defaultAuditFile } = await import('../../tools/local-tools.js');
    const split = (v?: string) => (v ? v.split(',').map((s) => s.trim()) : undefined);
    const lynisTests = split(flags['lynis-tests']);
    const chkrootkitTests = split(flags['chkrootkit-tests']);
    const rkhunterTests = split(flags['rkhunter-tests']);
    return runLocalTools(
      names,
      { place: 'host', root: flags.root, node },
      {
        ...(lynisTests ? { lynisTests } : {}),
        ...(chkrootkitTests ? { chkrootkitTests } : {}),
        ...(rkhunterTests ? { rkhunterTests } : {}),
      },
      flags['tools-audit'] ?? defaultAuditFile(),
      now,
    );
  }
}
