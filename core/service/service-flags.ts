import { parseArgs } from 'node:util';

/** One `--flag` of a service binary, with its SECO_* environment equivalent. */
export interface FlagSpec {
  env: string;
  help: string;
  fallback?: string;
  /** Not required: an unset optional flag is undefined. */
  optional?: boolean;
}

export type FlagSpecs = Record<string, FlagSpec>;
export type FlagValues<S extends FlagSpecs> = {
  [K in keyof S]: S[K]['optional'] extends true ? string | undefined : string;
};

/** `--help` text: every flag, its environment variable and default. */
export function flagsUsage(title: string, specs: FlagSpecs): string {
  const lines = Object.entries(specs).map(
    ([flag, spec]) =>
      `  --${flag.padEnd(17)} ${spec.help} (env ${spec.env}${spec.fallback !== undefined ? `, default ${spec.fallback}` : ''})`,
  );
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
  const { values } = parseArgs({
    args: [...argv],
    options: Object.fromEntries(Object.keys(specs).map((k) => [k, { type: 'string' as const }])),
    strict: true,
    allowPositionals: false,
  });
  const given = values as Record<string, string | undefined>;
  const result: Record<string, string | undefined> = {};
  for (const [flag, spec] of Object.entries(specs)) {
    const found = given[flag] ?? (env[spec.env] || undefined) ?? spec.fallback;
    if (found === undefined && !spec.optional) throw new Error(`missing --${flag} (or ${spec.env})`);
    result[flag] = found;
  }
  return result as FlagValues<S>;
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
