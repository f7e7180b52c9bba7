import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Config, Errors, flush, handle, type Interfaces, run } from '@oclif/core';
import { spellOutCodes } from '../../core/errors/system-error-message.js';
import { boundHeapGrowth } from '../../core/service/heap-growth.js';
import { linearTimeRegexps } from '../../core/service/linear-regexp.js';
import { closest } from './did-you-mean.js';
import { usageName } from './usage-name.js';

/**
 * Runs the CLI as oclif's `execute` does, with two additions: help and messages name it as the user
 * runs it (`kubectl seco`, see usage-name.ts), and a mistyped command or flag gets a "did you mean".
 */
export async function main(
  root: string | URL | Config,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  // Before any command allocates: large local scans keep their peak memory near their live set.
  boundHeapGrowth();
  linearTimeRegexps();
  const name = usageName();
  // oclif's run() builds its Config from the options it gets: give it package.json with the name in it,
  // so the configuration is loaded once. Scoped variables (KUBECTL_SECO_DEBUG …) keep the executable's
  // name through the alias. A Config comes from the single executable (tools/release/sea-entry.ts),
  // which has no package.json to read; run() reloads it from its plugins, which share this pjson.
  const options =
    root instanceof Config ? root : { root: typeof root === 'string' ? root : fileURLToPath(root) };
  const pjson =
    options instanceof Config
      ? options.pjson
      : (JSON.parse(readFileSync(join(options.root, 'package.json'), 'utf8')) as Interfaces.PJSON);
  pjson.oclif.binAliases = [pjson.oclif.bin ?? 'kubectl-seco', ...(pjson.oclif.binAliases ?? [])];
  pjson.oclif.bin = name;
  const loadOptions = options instanceof Config ? options : { ...options, pjson };
  try {
    await run(argv, loadOptions);
    flush();
  } catch (error) {
    // Only on an error: the command table, for suggestions.
    const config = await Config.load(loadOptions);
    await handle(explain(error as Error, config, argv, name));
  }
}

/** The error in words, with a suggestion added when it is an unknown command or flag. */
export function explain(error: Error, config: Config, argv: readonly string[], name: string): Error {
  // Raw system error codes left in any message (`connect ECONNREFUSED …`) in words.
  error.message = spellOutCodes(error.message);
  const unknownCommand = /^command (\S+) not found$/.exec(error.message);
  if (unknownCommand) {
    const typed = unknownCommand[1]!.replaceAll(':', ' ');
    const ids = config.commandIDs
      .filter((id) => !config.findCommand(id)?.hidden)
      .map((id) => id.replaceAll(':', ' '));
    const [suggestion] = closest(typed, ids);
    return new Errors.CLIError(
      `unknown command "${typed}"${suggestion ? `. Did you mean "${name} ${suggestion}"?` : ''}\nRun "${name} --help" for the commands.`,
      { exit: 2 },
    );
  }
  // oclif's NonExistentFlagsError (not exported): the flags as typed, `--fil` or `--fil=x`.
  const typedFlags = (error as { flags?: unknown }).flags;
  if (/^Nonexistent flags?:/.test(error.message) && Array.isArray(typedFlags)) {
    const command = commandOf(config, argv);
    const names = Object.entries(command?.flags ?? {})
      .filter(([, flag]) => !flag.hidden)
      .map(([name]) => `--${name}`);
    const hints = (typedFlags as string[]).flatMap((typed) => {
      const [suggestion] = closest(typed.replace(/=.*$/, ''), names);
      return suggestion ? [`${typed}: did you mean ${suggestion}?`] : [];
    });
    if (hints.length > 0) {
      // After oclif's first line (`Nonexistent flag: --fil`), before its `See more help with --help`.
      const [first, ...rest] = error.message.split('\n');
      error.message = [first, ...hints, ...rest].join('\n');
    }
  }
  return error;
}

/** The command the arguments name (`scan image …` → scan:image), for its flags. */
function commandOf(config: Config, argv: readonly string[]) {
  const words = argv.filter((a) => !a.startsWith('-'));
  for (let n = Math.min(words.length, 3); n > 0; n--) {
    const command = config.findCommand(words.slice(0, n).join(':'));
    if (command) return command;
  }
  return undefined;
}
