import pc from 'picocolors';
import { type Finding, type Report, SEVERITIES, type Severity } from '../../model/index.js';
import { complianceLines } from './compliance-table.js';
import type { Renderer, RenderOptions } from './renderer.js';

type Paint = (s: string) => string;

function palette(color: boolean) {
  const c = pc.createColors(color);
  const severity: Record<Severity, Paint> = {
    critical: (s) => c.bold(c.red(s)),
    high: c.red,
    medium: c.yellow,
    low: c.cyan,
    info: c.gray,
  };
  return { severity, dim: c.dim, bold: c.bold, green: c.green };
}

function resourceKey(f: Finding): string {
  const r = f.resource;
  return [r.kind ?? '', r.namespace ?? '', r.name ?? '', r.node ?? '', r.image ?? ''].join('\u0000');
}

function heading(f: Finding, report: Report): string {
  const r = f.resource;
  const name = r.namespace ? `${r.namespace}/${r.name}` : (r.name ?? r.image ?? r.node ?? '');
  const where = r.file ? `  ${r.file}` : '';
  const level = report.resources.find(
    (x) => x.kind === r.kind && x.name === r.name && x.namespace === r.namespace,
  )?.podSecurity?.level;
  return `${r.kind ?? 'Resource'} ${name}${where}${level ? `  [pod security: ${level}]` : ''}`;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

function findingLines(f: Finding, colors: ReturnType<typeof palette>, idWidth: number): string[] {
  const suppressed = f.status === 'suppressed';
  const sev = pad(f.severity.toUpperCase(), 8);
  const line = f.resource.line ? ` (line ${f.resource.line})` : '';
  const container = f.resource.container ? ` [${f.resource.container}]` : '';
  const head = `  ${suppressed ? colors.dim(sev) : colors.severity[f.severity](sev)} ${pad(f.ruleId, idWidth)} ${f.title}${container}${colors.dim(line)}`;
  const lines = [suppressed ? colors.dim(head) : head];
  if (f.evidence) lines.push(colors.dim(`  ${' '.repeat(9 + idWidth)} ${f.evidence}`));
  if (suppressed && f.suppression)
    lines.push(
      colors.dim(
        `  ${' '.repeat(9 + idWidth)} suppressed (${f.suppression.source}): ${f.suppression.reason}`,
      ),
    );
  return lines;
}

/** Findings grouped by resource, most severe first; a summary line at the end. */
export const tableRenderer: Renderer = {
  name: 'table',
  render(report: Report, options: RenderOptions) {
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
      report.findings.reduce((width, f) => Math.max(width, f.ruleId.length), 8),
    );
    const out: string[] = [];
    for (const findings of groups.values()) {
      out.push(colors.bold(heading(findings[0]!, report)));
      for (const f of findings) for (const line of findingLines(f, colors, idWidth)) out.push(line);
      out.push('');
    }
    if (report.findings.length === 0) out.push(colors.green('No findings.'), '');
    const counts = SEVERITIES.map((s) => colors.severity[s](`${report.summary[s]} ${s}`)).join(', ');
    const suppressed =
      report.summary.suppressed > 0 ? colors.dim(`, ${report.summary.suppressed} suppressed`) : '';
    const clean = report.resources.filter((r) => r.podSecurity).map((r) => r.podSecurity!.level);
    const levels =
      clean.length > 0
        ? ` Pod Security: ${(['restricted', 'baseline', 'privileged'] as const).map((l) => `${clean.filter((x) => x === l).length} ${l}`).join(', ')}.`
        : '';
    out.push(`${report.resources.length} resources scanned. Findings: ${counts}${suppressed}.${levels}`);
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
