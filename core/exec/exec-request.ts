/** A run the executor refused: the tool, and why (also in the audit log). */
export class ExecDenied extends Error {
  constructor(
    readonly tool: string,
    readonly reason: string,
  ) {
    super(`${tool}: refused: ${reason}`);
    this.name = 'ExecDenied';
  }
}

const ENV_NAME = /^[A-Z_][A-Z0-9_]{0,63}$/;
// Variables that change how a dynamic linker or an interpreter loads code: never set for a tool.
const LOADER_VARIABLES =
  /^(LD_|GCONV_PATH$|PERL5?LIB$|PERL5OPT$|PYTHON(PATH|HOME|STARTUP)$|BASH_ENV$|ENV$|IFS$|NODE_OPTIONS$)/;

/** The run's whole environment, each name and value checked; the request's list is all there is. */
export function checkedEnvironment(env: Readonly<Record<string, string>>): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (!ENV_NAME.test(name))
      throw new Error(`environment name ${JSON.stringify(name.slice(0, 80))} is not [A-Z_][A-Z0-9_]*`);
    if (LOADER_VARIABLES.test(name))
      throw new Error(`environment variable ${name} changes how code is loaded`);
    if (typeof value !== 'string' || /[\0\n]/.test(value) || value.length > 4096)
      throw new Error(`environment variable ${name}: value must be one line of at most 4096 characters`);
    checked[name] = value;
  }
  return checked;
}
