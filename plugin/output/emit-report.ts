import { atLeast, parseSeverity, type Report, type Severity, summarize } from '../../core/model/index.js';
import { rendererFor } from '../../core/report/render/index.js';
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
 * --fail-on looks at every open finding, whatever --severity shows.
 */
export function emitReport(report: Report, options: EmitOptions): number {
  const shown = options.show ? filtered(report, options.show) : report;
  const renderer = rendererFor(options.format);
  const color = renderer.name === 'table' && options.stdout.isTTY === true && !process.env.NO_COLOR;
  options.stdout.write(renderer.render(shown, { color, toolVersion: options.toolVersion }));
  if (renderer.name === 'table') writeProblems(report, options.stderr);
  if (report.problems.some((p) => p.kind !== 'warning')) return EXIT_INPUT;
  const failing = options.failOn
    ? report.findings.some((f) => f.status === 'open' && atLeast(f.severity, options.failOn!))
    : false;
  return failing ? EXIT_FINDINGS : EXIT_OK;
}

function filtered(report: Report, show: ReadonlySet<Severity>): Report {
  const findings = report.findings.filter((f) => show.has(f.severity));
  return { ...report, findings, summary: summarize(findings) };
}

function writeProblems(report: Report, stderr: NodeJS.WriteStream): void {
  for (const p of report.problems) {
    stderr.write(
      `${p.kind === 'warning' ? 'warning' : 'error'}: ${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}\n`,
    );
  }
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
