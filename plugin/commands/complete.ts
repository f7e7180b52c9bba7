import { Command } from '@oclif/core';

/**
 * `kubectl-seco __complete WORD…`: Cobra's dynamic completion protocol, which kubectl (≥ 1.26) speaks
 * with a plugin through an executable named `kubectl_complete-seco` (bin/kubectl_complete-seco). The
 * words are those after `kubectl seco`, the last one being typed; the answer is one candidate a line,
 * then `:<directive>`.
 */
export default class Complete extends Command {
  static override hidden = true;
  static override summary = 'Completion candidates for the words given (Cobra __complete protocol).';
  static override strict = false;

  async run(): Promise<void> {
    const words = this.argv.length > 0 ? this.argv : [''];
    const [{ completeWords }, { loadedCommandTree }] = await Promise.all([
      import('../completion/complete-words.js'),
      import('../completion/load-tree.js'),
    ]);
    process.stdout.write(completeWords(loadedCommandTree(this.config), words));
  }
}
