import { bashScript } from './bash-script.js';
import type { CompletionNode } from './command-tree.js';

/**
 * zsh runs the bash script through its bash-completion emulation (bashcompinit, part of zsh since 4.3),
 * so both shells complete the same words from one generated table.
 */
export function zshScript(tree: ReadonlyMap<string, CompletionNode>, program: string): string {
  return `# zsh completion for ${program} (kubectl seco), generated from its command table.
# Load it (e.g. in ~/.zshrc):   source <(${program} completion zsh)
(( $+functions[compdef] )) || { autoload -Uz compinit && compinit }
autoload -U +X bashcompinit && bashcompinit
${bashScript(tree, program)}`;
}
