import { type CompletionNode, commandPath, findFlag } from './command-tree.js';

// Cobra's ShellCompDirective values (spf13/cobra completions.go), which kubectl reads from a plugin's
// `kubectl_complete-<name>` (kubectl ≥ 1.26): 4 = no file completion, 0 = the shell's default (files).
const DIRECTIVE_DEFAULT = 0;
const DIRECTIVE_NO_FILES = 4;

/**
 * What may come next after `words` (the last one is the word being typed, possibly empty), in Cobra's
 * `__complete` format: one candidate a line (`value<TAB>description`), then `:<directive>`.
 */
export function completeWords(tree: ReadonlyMap<string, CompletionNode>, words: readonly string[]): string {
  const typed = words[words.length - 1] ?? '';
  const before = words.slice(0, -1);
  const path = commandPath(tree, before);
  const node = tree.get(path);
  const previous = before[before.length - 1];
  const flag = previous?.startsWith('-') && !previous.includes('=') ? findFlag(node, previous) : undefined;
  let candidates: Array<[string, string]>;
  let directive = DIRECTIVE_NO_FILES;
  if (flag?.takesValue) {
    if (!flag.options) return `:${DIRECTIVE_DEFAULT}\n`;
    candidates = flag.options.map((o) => [o, '']);
  } else if (typed.startsWith('-')) {
    candidates = (node?.flags ?? []).flatMap(
      (f): Array<[string, string]> => [
        [`--${f.name}`, f.description],
        ...(f.char ? ([[`-${f.char}`, f.description]] as Array<[string, string]>) : []),
      ],
    );
  } else {
    candidates = (node?.children ?? []).map((c) => [c.word, c.description]);
    // A command's arguments are files, images or workloads: let the shell offer files.
    if (candidates.length === 0) directive = DIRECTIVE_DEFAULT;
  }
  const lines = candidates
    .filter(([value]) => value.startsWith(typed))
    .map(([value, description]) => (description ? `${value}\t${description}` : value));
  return `${[...lines, `:${directive}`].join('\n')}\n`;
}
