import { realpathSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * The name help and messages give the CLI: `kubectl seco`, as users run it, unless they started the
 * executable by its own name. kubectl (checked with 1.32) runs a plugin with argv[0] = the plugin's path
 * and the environment unchanged — no KUBECTL_PLUGINS_* variable since the plugin mechanism of 1.12 —
 * so argv cannot tell the two apart. The shell's `_` can: it holds the path of the command the shell
 * started (kubectl, or kubectl-seco itself). A `_` inherited from further up (a shell that started
 * something else, which started us) names another file, so it counts only when it is this executable.
 */
export function usageName(
  env: NodeJS.ProcessEnv = process.env,
  invokedAs: readonly (string | undefined)[] = [process.argv[1], process.execPath],
): string {
  const started = env._;
  if (!started || !/^kubectl-seco(\.js|\.exe)?$/i.test(basename(started))) return 'kubectl seco';
  return invokedAs.some((path) => path !== undefined && sameFile(path, started))
    ? 'kubectl-seco'
    : 'kubectl seco';
}

function sameFile(a: string, b: string): boolean {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
}
