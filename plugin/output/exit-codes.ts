// The CLI's exit codes, apart from emit-report.ts: commands use them in their flag checks and error
// paths, and importing them must not evaluate the report model and renderers at start-up.

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
/** some input could not be scanned: the result is incomplete, which a CI gate must not take for a pass */
export const EXIT_INPUT = 2;
