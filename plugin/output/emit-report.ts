import {
  atLeast,
  parseSeverity,
  type Report,
  SEVERITIES,
  type Severity,
  summarize,
} from '../../core/model/index.js';
import { rendererFor } from '../../core/report/render/index.js';
import { DEFAULT_WIDTH, type FailOnOutcome } from '../../core/report/render/renderer.js';
import { problemLine } from '../../core/report/render/table-footer.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from './exit-codes.js';

export interface EmitOptions {
  format: string;
  /** Show only these severities; all when undefined. */
  show?: ReadonlySet<Severity>;
  failOn?: Severity;
  toolVersion: string;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
}

export { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from './exit-codes.js';

/**
 * Prints the report and returns the exit code: 2 when some input could not be scanned (the result is
 * incomplete, which a CI gate must not take for a pass), else 1 when an open finding meets --fail-on.
 * --fail-on looks at every open finding, whatever --severity shows. Whatever the format, stderr says
 * why the exit code is not 0: the problems, and what --fail-on matched.
 */
export function emitReport(report: Report, options: EmitOptions): number {
  const shown = options.show ? filtered(report, options.show) : report;
  const renderer = rendererFor(options.format);
  const color = renderer.name === 'table' && options.stdout.isTTY === true && !process.env.NO_COLOR;
  const failOn = options.failOn ? failOnOutcome(report, shown, options.failOn) : undefined;
  options.stdout.write(
    renderer.render(shown, {
      color,
      toolVersion: options.toolVersion,
      width: terminalWidth(options.stdout),
      ...(failOn ? { failOn } : {}),
    }),
  );
  writeProblems(report, options.stderr);
  if (report.problems.some((p) => p.kind !== 'warning')) {
    const errors = report.problems.filter((p) => p.kind !== 'warning').length;
    options.stderr.write(
      `incomplete scan: ${errors} problem${errors === 1 ? '' : 's'} (above); the report leaves out what could not be scanned (exit 2)\n`,
    );
    return EXIT_INPUT;
  }
  if (failOn && failOn.matched > 0) {
    options.stderr.write(
      `--fail-on ${failOn.severity}: ${failOn.matched} open finding${failOn.matched === 1 ? '' : 's'} at or above ${failOn.severity}${failOn.hidden > 0 ? `, ${failOn.hidden} of them not shown because of --severity` : ''} (exit 1)\n`,
    );
    return EXIT_FINDINGS;
  }
  return EXIT_OK;
}

/** The terminal's columns; $COLUMNS when not a terminal (as `ls` and `man` do); else DEFAULT_WIDTH. */
export function terminalWidth(stdout: NodeJS.WriteStream): number {
  if (stdout.isTTY && stdout.columns > 0) return stdout.columns;
  const columns = Number.parseInt(process.env.COLUMNS ?? '', 10);
  return Number.isInteger(columns) && columns >= 20 ? columns : DEFAULT_WIDTH;
}

function failOnOutcome(report: Report, shown: Report, severity: Severity): FailOnOutcome {
  const failing = (r: Report) =>
    r.findings.filter((f) => f.status === 'open' && atLeast(f.severity, severity));
  const matched = failing(report).length;
  return { severity, matched, hidden: matched - failing(shown).length };
}

function filtered(report: Report, show: ReadonlySet<Severity>): Report {
  const findings = report.findings.filter((f) => show.has(f.severity));
  const hidden = summarize(report.findings.filter((f) => !show.has(f.severity)));
  return {
    ...report,
    findings,
    summary: summarize(findings),
    filtered: { severities: SEVERITIES.filter((s) => show.has(s)), hidden },
  };
}

function writeProblems(report: Report, stderr: NodeJS.WriteStream): void {
  for (const p of report.problems)
    stderr.write(`${p.kind === 'warning' ? 'warning' : 'error'}: ${problemLine(p)}\n`);
  const skipped = Object.entries(report.skippedKinds);
  if (skipped.length > 0) {
    stderr.write(
      `skipped (no checks for these kinds): ${skipped.map(([kind, n]) => `${n} ${kind}`).join(', ')}\n`,
    );
  }
}

/** What the scan commands pass from their shared flags (see shared-flags.ts). */
export interface OutputFlagValues {
  output: string;
  'fail-on'?: string;
}

export function emitWithFlags(
  report: Report,
  flags: OutputFlagValues,
  show: ReadonlySet<Severity> | undefined,
  toolVersion: string,
): number {
  return emitReport(report, {
    format: flags.output,
    show,
    failOn: flags['fail-on'] ? parseSeverity(flags['fail-on']) : undefined,
    toolVersion,
    stdout: process.stdout,
    stderr: process.stderr,
  });
}
