import type { Command } from '@oclif/core';

/** A flag as completion needs it. */
export interface CompletionFlag {
  name: string;
  char?: string;
  description: string;
  /** The flag takes a value (`--output json`); `options` lists them when the set is fixed. */
  takesValue: boolean;
  options?: readonly string[];
}

/** One command (or topic) by the words that reach it: '' is the CLI itself, 'scan image' a subcommand. */
export interface CompletionNode {
  path: string;
  description: string;
  /** The words that may follow (subcommands), with their one-line descriptions. */
  children: Array<{ word: string; description: string }>;
  flags: CompletionFlag[];
}

/**
 * The command table as a tree of words, for the completion scripts and `__complete`: every visible
 * command, the topics on the way to it (`db` for `db import`), and each command's visible flags.
 */
export function commandTree(
  commands: readonly Command.Loadable[],
  topics: ReadonlyMap<string, string> = new Map(),
): Map<string, CompletionNode> {
  const nodes = new Map<string, CompletionNode>();
  const node = (path: string): CompletionNode => {
    let found = nodes.get(path);
    if (!found) {
      found = { path, description: topics.get(path) ?? '', children: [], flags: [] };
      nodes.set(path, found);
    }
    return found;
  };
  node('');
  for (const command of [...commands].sort((a, b) => a.id.localeCompare(b.id))) {
    if (command.hidden) continue;
    const words = command.id.split(':');
    const path = words.join(' ');
    const own = node(path);
    own.description = command.summary ?? firstLine(command.description) ?? own.description;
    own.flags = Object.entries(command.flags ?? {})
      .filter(([, flag]) => !flag.hidden)
      .map(([name, flag]) => ({
        name,
        ...(flag.char ? { char: flag.char } : {}),
        description: flag.summary ?? firstLine(flag.description) ?? '',
        takesValue: flag.type === 'option',
        ...(flag.type === 'option' && flag.options ? { options: flag.options } : {}),
      }));
    for (let i = 1; i <= words.length; i++) {
      const parent = node(words.slice(0, i - 1).join(' '));
      const word = words[i - 1]!;
      if (!parent.children.some((c) => c.word === word))
        parent.children.push({
          word,
          description: i === words.length ? own.description : (topics.get(words.slice(0, i).join(' ')) ?? ''),
        });
    }
  }
  return nodes;
}

function firstLine(text: string | undefined): string | undefined {
  return text?.split('\n')[0];
}

/** The deepest command the words name, skipping flags and their values (`scan -f x image` → `scan image`). */
export function commandPath(tree: ReadonlyMap<string, CompletionNode>, words: readonly string[]): string {
  let path = '';
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (word.startsWith('-')) {
      const flag = findFlag(tree.get(path), word);
      if (flag?.takesValue && !word.includes('=')) i++;
      continue;
    }
    const next = path ? `${path} ${word}` : word;
    if (tree.has(next) && tree.get(path)?.children.some((c) => c.word === word)) path = next;
  }
  return path;
}

export function findFlag(node: CompletionNode | undefined, word: string): CompletionFlag | undefined {
  const bare = word.replace(/=.*$/, '');
  return node?.flags.find((f) => `--${f.name}` === bare || (f.char !== undefined && `-${f.char}` === bare));
}
