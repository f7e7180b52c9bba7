import { bashScript } from './bash-script.js';
import type { CompletionNode } from './command-tree.js';
import { fishScript } from './fish-script.js';
import { zshScript } from './zsh-script.js';

/** The shells `completion` writes a script for: one file each, one line here. */
export const COMPLETION_SCRIPTS: Record<
  string,
  (tree: ReadonlyMap<string, CompletionNode>, program: string) => string
> = {
  bash: bashScript,
  zsh: zshScript,
  fish: fishScript,
};
