import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

/** One `--flag` of a service binary, with its SECO_* environment equivalent. */
export interface FlagSpec {
  env: string;
  help: string;
  fallback?: string;
  /** Not required: an unset optional flag is undefined. */
  optional?: boolean;
  /**
   * A secret: also taken from a file, `--<flag>-file PATH` or `<ENV>_FILE=PATH` (a mounted Secret), so it
   * need not be on the command line where `ps` shows it, nor in the environment.
   */
  secret?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]: S[K]['optional'] extends true ? string | undefined : string;
};

/** `--help` text: every flag, its environment variable and default. */
export function flagsUsage(title: string, specs: FlagSpecs): string {
  const lines = Object.entries(specs).flatMap(([flag, spec]) => [
    `  --${flag.padEnd(17)} ${spec.help} (env ${spec.env}${spec.fallback !== undefined ? `, default ${spec.fallback}` : ''})`,
    ...(spec.secret
      ? [`  --${`${flag}-file`.padEnd(17)} file holding --${flag}, preferred (env ${spec.env}_FILE)`]
      : []),
  ]);
  return `${title}\n\n${lines.join('\n')}\n`;
}

/**
 * Flags win over SECO_* environment variables, which win over defaults (so a Deployment can set either);
 * unknown flags and a missing required value are errors that name the flag.
 */
export function parseServiceFlags<S extends FlagSpecs>(
  specs: S,
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
): FlagValues<S> {
  const names = Object.entries(specs).flatMap(([k, spec]) => (spec.secret ? [k, `${k}-file`] : [k]));
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(names.map((k) => [k, { type: 'string' as const }])),
    strict: true,
    allowPositionals: false,
  });
  const given = values as Record<string, string | undefined>;
  const result: Record<string, string | undefined> = {};
  for (const [flag, spec] of Object.entries(specs)) {
    const fromFile = spec.secret
      ? secretFile(flag, given[`${flag}-file`] ?? (env[`${spec.env}_FILE`] || undefined))
      : undefined;
    const found = given[flag] ?? fromFile ?? (env[spec.env] || undefined) ?? spec.fallback;
    if (found === undefined && !spec.optional) throw new Error(`missing --${flag} (or ${spec.env})`);
    result[flag] = found;
  }
  return result as FlagValues<S>;
}

/** A secret read from its file: surrounding whitespace (the newline `echo` adds) is not part of it. */
function secretFile(flag: string, path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch (error) {
    throw new Error(
      `--${flag}-file ${JSON.stringify(path)}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
    );
  }
  if (text === '') throw new Error(`--${flag}-file ${JSON.stringify(path)} is empty`);
  return text;
}

/** A comma-separated flag value as a list, blanks dropped. */
export function listFlag(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** `true` or `false`, nothing else: a typo in a DaemonSet's env must not silently mean one of them. */
export function booleanFlag(flag: string, value: string): boolean {
  if (value === 'true' || value === 'false') return value === 'true';
  throw new Error(`--${flag} ${JSON.stringify(value)}: expected true or false`);
}

/**
 * A service binary's configuration from its argv and environment; `--help` prints the usage, and a bad
 * flag prints the error and the usage with exit code 2. Undefined when the process should not go on.
 */
export function serviceConfig<C>(
  name: string,
  usage: string,
  parse: (argv: readonly string[], env: NodeJS.ProcessEnv) => C,
): C | undefined {
  if (process.argv.includes('--help')) {
    process.stdout.write(usage);
    return undefined;
  }
  try {
    return parse(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`${name}: ${(error as Error).message}\n\n${usage}`);
    process.exitCode = 2;
    return undefined;
  }
}
