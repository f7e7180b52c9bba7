import { type InputProblem, type Report, SEVERITIES, type SeveritySummary } from '../../model/index.js';
import { checkSummaryRows, countByCheck } from './check-summary.js';
import type { RenderOptions } from './renderer.js';
import type { Palette } from './table-palette.js';
import { wrapWords } from './wrap-words.js';

// Problems listed in the summary; the rest are counted (all of them are in -o json and on stderr).
const LISTED_PROBLEMS = 20;

/** A problem as one line: where, then what. */
export function problemLine(p: InputProblem): string {
  return `${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}`;
}

const counted = (summary: SeveritySummary) =>
  SEVERITIES.filter((s) => summary[s] > 0).map((s) => `${summary[s]} ${s}`);

/**
 * What the table ends with: the per-check table (check, severity, resources failing it — what
 * kube-bench and Kubescape users read first), then the summary: counts, what `--severity` hid, why
 * `--fail-on` fired, and for an incomplete scan what was not scanned.
 */
export function tableFooter(
  report: Report,
  options: RenderOptions,
  colors: Palette,
  width: number,
): string[] {
  const out: string[] = [];
  const checks = countByCheck(report.findings);
  if (checks.length > 0) {
    const rows = checkSummaryRows(checks, width);
    const widths = rows[0]!.map((_, i) => rows.reduce((w, r) => Math.max(w, r[i]!.length), 0));
    for (const [n, row] of rows.entries()) {
      const cells = row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]! + 2)));
      if (n === 0) out.push(colors.bold(cells.join('').trimEnd()));
      else {
        const severity = checks[n - 1]!.severity;
        out.push(`${cells[0]}${colors.severity[severity](cells[1]!)}${cells.slice(2).join('')}`.trimEnd());
      }
    }
    out.push('');
  }
  const incomplete = report.problems.some((p) => p.kind !== 'warning');
  if (report.findings.length === 0 && incomplete)
    out.push(colors.yellow('No findings in what could be scanned — but the scan is incomplete (below).'), '');
  else if (report.findings.length === 0)
    out.push(colors.green(report.filtered ? 'No findings at the severities shown.' : 'No findings.'), '');
  const counts = SEVERITIES.map((s) => colors.severity[s](`${report.summary[s]} ${s}`)).join(', ');
  const suppressed =
    report.summary.suppressed > 0 ? colors.dim(`, ${report.summary.suppressed} suppressed`) : '';
  const levels = report.resources.filter((r) => r.podSecurity).map((r) => r.podSecurity!.level);
  const pss =
    levels.length > 0
      ? ` Pod Security: ${(['restricted', 'baseline', 'privileged'] as const).map((l) => `${levels.filter((x) => x === l).length} ${l}`).join(', ')}.`
      : '';
  const summary = `${report.resources.length} resources scanned. Findings: ${counts}${suppressed}.${pss}`;
  out.push(...wrapWords(summary, width));
  out.push(...filterLines(report, width));
  if (options.failOn && options.failOn.matched > 0) {
    const { severity, matched, hidden } = options.failOn;
    const why = `--fail-on ${severity}: ${matched} open finding${matched === 1 ? '' : 's'} at or above ${severity}${hidden > 0 ? `, ${hidden} of them not shown because of --severity` : ''} (exit 1).`;
    out.push(...wrapWords(why, width).map((l) => colors.red(l)));
  }
  out.push(...incompleteLines(report, colors, width));
  return out;
}

function filterLines(report: Report, width: number): string[] {
  if (!report.filtered) return [];
  const hidden = counted(report.filtered.hidden);
  const line = `Shown: ${report.filtered.severities.join(', ')} (--severity). ${hidden.length > 0 ? `Not shown: ${hidden.join(', ')}.` : 'Nothing else was found.'}`;
  return wrapWords(line, width);
}

function incompleteLines(report: Report, colors: Palette, width: number): string[] {
  const errors = report.problems.filter((p) => p.kind !== 'warning');
  if (errors.length === 0) return [];
  const out = wrapWords(
    `INCOMPLETE SCAN: ${errors.length} problem${errors.length === 1 ? '' : 's'}; the findings above leave out what could not be scanned (exit 2):`,
    width,
  ).map((l) => colors.red(colors.bold(l)));
  for (const p of errors.slice(0, LISTED_PROBLEMS))
    for (const [i, line] of wrapWords(problemLine(p), width - 4).entries())
      out.push(`${i === 0 ? '  - ' : '    '}${line}`);
  if (errors.length > LISTED_PROBLEMS)
    out.push(`  … and ${errors.length - LISTED_PROBLEMS} more (all of them in -o json, and on stderr)`);
  return out;
}
