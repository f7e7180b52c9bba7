import type { CompletionNode } from './command-tree.js';

// Only these characters go into the generated script unquoted; anything else is left out (a flag
// option with a space or a quote would not survive `compgen -W` anyway).
const SAFE = /^[A-Za-z0-9_./:@%+,=-]+$/;
const words = (list: readonly string[]) => list.filter((w) => SAFE.test(w)).join(' ');
const shellQuote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`;

function caseFunction(name: string, arms: Array<[string, string]>): string {
  const body = arms
    .filter(([, value]) => value !== '')
    .map(([pattern, value]) => `    ${pattern}) echo ${shellQuote(value)} ;;`)
    .join('\n');
  return `${name}() {\n  case "$1" in\n${body}\n  esac\n}`;
}

/**
 * A bash completion script for `kubectl-seco` generated from the command table: subcommands, each
 * command's flags, the fixed values of flags that have them (`-o table|json|…`), files elsewhere.
 * Static: a TAB starts no process.
 */
export function bashScript(tree: ReadonlyMap<string, CompletionNode>, program: string): string {
  const fn = `_${program.replace(/[^A-Za-z0-9]/g, '_')}`;
  const nodes = [...tree.values()];
  const flagWords = (n: CompletionNode) =>
    words(n.flags.flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]));
  const valueFlags = (n: CompletionNode) =>
    words(
      n.flags.filter((f) => f.takesValue).flatMap((f) => [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]),
    );
  const optionArms: Array<[string, string]> = nodes.flatMap((n) =>
    n.flags
      .filter((f) => f.options)
      .map((f): [string, string] => [
        [`--${f.name}`, ...(f.char ? [`-${f.char}`] : [])]
          .map((flag) => shellQuote(`${n.path}|${flag}`))
          .join('|'),
        words(f.options ?? []),
      ]),
  );
  return `# bash completion for ${program} (kubectl seco), generated from its command table.
# Load it in this shell:   source <(${program} completion bash)
# or for every shell:      ${program} completion bash > ~/.local/share/bash-completion/completions/${program}
${caseFunction(
  `${fn}_children`,
  nodes.map((n) => [shellQuote(n.path), words(n.children.map((c) => c.word))]),
)}
${caseFunction(
  `${fn}_flags`,
  nodes.map((n) => [shellQuote(n.path), flagWords(n)]),
)}
${caseFunction(
  `${fn}_value_flags`,
  nodes.map((n) => [shellQuote(n.path), valueFlags(n)]),
)}
${caseFunction(`${fn}_options`, optionArms)}
${fn}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" path="" word i=1
  COMPREPLY=()
  while (( i < COMP_CWORD )); do
    word="\${COMP_WORDS[i]}"
    if [[ $word == -* ]]; then
      # a flag that takes a value swallows the next word
      if [[ $word != *=* && " $(${fn}_value_flags "$path") " == *" $word "* ]]; then (( i++ )); fi
    elif [[ " $(${fn}_children "$path") " == *" $word "* ]]; then
      path="\${path:+$path }$word"
    fi
    (( i++ ))
  done
  (( COMP_CWORD > 1 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  if [[ $prev == -* && " $(${fn}_value_flags "$path") " == *" $prev "* ]]; then
    local options
    options="$(${fn}_options "$path|$prev")"
    if [[ -n $options ]]; then
      COMPREPLY=( $(compgen -W "$options" -- "$cur") )
    else
      COMPREPLY=( $(compgen -f -- "$cur") )
    fi
    return 0
  fi
  if [[ $cur == -* ]]; then
    COMPREPLY=( $(compgen -W "$(${fn}_flags "$path")" -- "$cur") )
    return 0
  fi
  COMPREPLY=( $(compgen -W "$(${fn}_children "$path")" -- "$cur") )
  # no subcommand fits: the argument is a file, an image or a workload; -o default offers files
  return 0
}
complete -o default -F ${fn} ${program}
`;
}
