import type { CompletionNode } from './command-tree.js';

const fishQuote = (s: string) => `'${s.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;

/**
 * A fish completion script generated from the command table: each subcommand where its parent was
 * typed last, each flag where its command was typed (with its fixed values, or a file for others).
 */
export function fishScript(tree: ReadonlyMap<string, CompletionNode>, program: string): string {
  const lines = [
    `# fish completion for ${program} (kubectl seco), generated from its command table.`,
    `# Install:   ${program} completion fish > ~/.config/fish/completions/${program}.fish`,
    `complete -c ${program} -f`,
  ];
  // The condition that the words typed so far name exactly `path` (fish's __fish_seen_subcommand_from
  // matches anywhere, so a path is: each of its words seen, and none of its children yet).
  const at = (node: CompletionNode) => {
    const seen = node.path === '' ? [] : node.path.split(' ').map((w) => `__fish_seen_subcommand_from ${w}`);
    const children = node.children.map((c) => c.word);
    const notDeeper = children.length > 0 ? [`not __fish_seen_subcommand_from ${children.join(' ')}`] : [];
    const all = node.path === '' ? ['__fish_use_subcommand'] : [...seen, ...notDeeper];
    return fishQuote(all.join('; and '));
  };
  for (const node of tree.values()) {
    for (const child of node.children)
      lines.push(`complete -c ${program} -n ${at(node)} -a ${child.word} -d ${fishQuote(child.description)}`);
    for (const flag of node.flags) {
      const names = `-l ${flag.name}${flag.char ? ` -s ${flag.char}` : ''}`;
      const value = flag.options
        ? ` -x -a ${fishQuote(flag.options.join(' '))}`
        : flag.takesValue
          ? ' -r -F'
          : '';
      lines.push(`complete -c ${program} -n ${at(node)} ${names}${value} -d ${fishQuote(flag.description)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
