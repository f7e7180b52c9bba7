/**
 * Parses Kubernetes components' command-line flags (spf13/pflag style): `--name=value`, `--name value`
 * for valued flags, and bare `--name` for booleans. Later occurrences win, as they do in pflag.
 */
export function parseFlags(args: readonly string[], booleanFlags: ReadonlySet<string>): Map<string, string> {
  const flags = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) continue;
    const body = arg.replace(/^--?/, '');
    const eq = body.indexOf('=');
    if (eq >= 0) {
      flags.set(body.slice(0, eq), body.slice(eq + 1));
    } else if (booleanFlags.has(body)) {
      flags.set(body, 'true');
    } else if (i + 1 < args.length && !args[i + 1]!.startsWith('--')) {
      flags.set(body, args[++i]!);
    } else {
      flags.set(body, '');
    }
  }
  return flags;
}

/** Splits a systemd `ExecStart=` command line into words, honouring quotes, after `$VAR` expansion. */
export function splitCommandLine(line: string, env: ReadonlyMap<string, string>): string[] {
  const expanded = line.replace(
    /\$\{(\w+)\}|\$(\w+)/g,
    (_, a: string | undefined, b: string | undefined) => env.get(a ?? b ?? '') ?? '',
  );
  const words: string[] = [];
  let current = '';
  let quote: string | undefined;
  let inWord = false;
  for (const ch of expanded) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) words.push(current);
      current = '';
      inWord = false;
    } else {
      current += ch;
      inWord = true;
    }
  }
  if (inWord) words.push(current);
  return words;
}

/** Parses an environment file (`KEY=value`, `KEY="value"`, comments), as systemd's EnvironmentFile= reads it. */
export function parseEnvFile(text: string): Map<string, string> {
  const env = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    if (value.length >= 2 && (value[0] === '"' || value[0] === "'") && value.endsWith(value[0]))
      value = value.slice(1, -1);
    env.set(line.slice(0, eq).trim(), value);
  }
  return env;
}
