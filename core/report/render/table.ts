import type { Finding, Report } from '../../model/index.js';
import { resourceKey } from './check-summary.js';
import { complianceLines } from './compliance-table.js';
import { DEFAULT_WIDTH, type Renderer, type RenderOptions } from './renderer.js';
import { tableFooter } from './table-footer.js';
import { type Palette, palette } from './table-palette.js';
import { wrapWords } from './wrap-words.js';

// The text column needs this many characters to read as sentences; below it the text moves under the check id.
const MIN_TEXT_WIDTH = 40;
const SEVERITY_WIDTH = 8;

function heading(f: Finding, report: Report): string {
  const r = f.resource;
  const name = r.namespace ? `${r.namespace}/${r.name}` : (r.name ?? r.image ?? r.node ?? '');
  const where = r.file ? `  ${r.file}` : '';
  const level = report.resources.find(
    (x) => x.kind === r.kind && x.name === r.name && x.namespace === r.namespace,
  )?.podSecurity?.level;
  return `${r.kind ?? 'Resource'} ${name}${where}${level ? `  [pod security: ${level}]` : ''}`;
}

/** Lines under one heading, each within `width`: severity, check id, then title and evidence wrapped at words. */
function findingLines(f: Finding, colors: Palette, idWidth: number, width: number): string[] {
  const suppressed = f.status === 'suppressed';
  const paint = suppressed ? colors.dim : (s: string) => s;
  const sev = colors.severity[f.severity](f.severity.toUpperCase().padEnd(SEVERITY_WIDTH));
  const text = `${f.title}${f.resource.container ? ` [${f.resource.container}]` : ''}${f.resource.line ? ` (line ${f.resource.line})` : ''}`;
  const wide = width - (2 + SEVERITY_WIDTH + 1 + idWidth + 1) >= MIN_TEXT_WIDTH && f.ruleId.length <= idWidth;
  const indent = wide ? 2 + SEVERITY_WIDTH + 1 + idWidth + 1 : 2 + SEVERITY_WIDTH + 1;
  const columns = width - indent;
  const margin = ' '.repeat(indent);
  const lines: string[] = [];
  const titleLines = wrapWords(text, columns);
  if (wide) lines.push(paint(`  ${sev} ${f.ruleId.padEnd(idWidth)} ${titleLines.shift()}`));
  else lines.push(paint(`  ${sev} ${f.ruleId}`));
  for (const line of titleLines) lines.push(paint(`${margin}${line}`));
  if (f.evidence)
    for (const line of wrapWords(f.evidence, columns)) lines.push(colors.dim(`${margin}${line}`));
  if (suppressed && f.suppression) {
    const why = `suppressed (${f.suppression.source}): ${f.suppression.reason}`;
    for (const line of wrapWords(why, columns)) lines.push(colors.dim(`${margin}${line}`));
  }
  return lines;
}

/**
 * Findings grouped by resource, most severe first, every line within the terminal's width (text wrapped
 * at spaces, never inside a word); then the per-check table and the summary (table-footer.ts).
 */
export const tableRenderer: Renderer = {
  name: 'table',
  render(report: Report, options: RenderOptions) {
    const width = options.width ?? DEFAULT_WIDTH;
    const colors = palette(options.color);
    const groups = new Map<string, Finding[]>();
    for (const f of report.findings) {
      const key = resourceKey(f);
      const list = groups.get(key);
      if (list) list.push(f);
      else groups.set(key, [f]);
    }
    const idWidth = Math.min(
      40,
      report.findings.reduce((w, f) => Math.max(w, f.ruleId.length), 8),
    );
    const out: string[] = [];
    for (const findings of groups.values()) {
      for (const [i, line] of wrapWords(heading(findings[0]!, report), width - 2).entries())
        out.push(colors.bold(i === 0 ? line : `  ${line}`));
      for (const f of findings) out.push(...findingLines(f, colors, idWidth, width));
      out.push('');
    }
    out.push(...tableFooter(report, options, colors, width));
    if (report.compliance)
      out.push(
        '',
        ...complianceLines(report.compliance, {
          pass: colors.green,
          fail: colors.severity.high,
          dim: colors.dim,
          bold: colors.bold,
        }),
      );
    return `${out.join('\n')}\n`;
  },
};
