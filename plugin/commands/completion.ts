import { Args, Command } from '@oclif/core';
import { COMPLETION_SHELLS } from '../completion/shells.js';

export default class Completion extends Command {
  static override summary = 'Print a shell completion script (bash, zsh or fish) for kubectl-seco.';
  static override description = [
    `The script is generated from the command table: subcommands, each command's flags and the fixed values of flags that have them (-o table|json|…); other arguments complete as file names. It completes the kubectl-seco executable.`,
    `For \`kubectl seco …\` itself, kubectl (1.26 and later) asks an executable named kubectl_complete-seco on your PATH, which runs \`kubectl-seco __complete\` (Cobra's completion protocol). The krew archive and the npm package carry it; with krew, link it next to kubectl-seco: ln -s ~/.krew/store/seco/*/kubectl_complete-seco ~/.krew/bin/. kubectl's own completion must be loaded too (source <(kubectl completion bash)).`,
  ].join('\n\n');

  static override examples = [
    'source <(<%= config.bin %> completion bash)',
    'source <(<%= config.bin %> completion zsh)',
    '<%= config.bin %> completion fish > ~/.config/fish/completions/kubectl-seco.fish',
  ];

  static override args = {
    shell: Args.string({
      description: 'the shell',
      required: true,
      options: [...COMPLETION_SHELLS],
      ignoreStdin: true,
    }),
  };

  async run(): Promise<void> {
    const { args } = await this.parse(Completion);
    const [{ COMPLETION_SCRIPTS }, { loadedCommandTree }] = await Promise.all([
      import('../completion/index.js'),
      import('../completion/load-tree.js'),
    ]);
    process.stdout.write(COMPLETION_SCRIPTS[args.shell]!(loadedCommandTree(this.config), 'kubectl-seco'));
  }
}
