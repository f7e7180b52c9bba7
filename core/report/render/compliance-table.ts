import type { ComplianceView } from '../../model/index.js';

export interface CompliancePaint {
  pass: (s: string) => string;
  fail: (s: string) => string;
  dim: (s: string) => string;
  bold: (s: string) => string;
}

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
const STATUS = { pass: 'PASS', fail: 'FAIL', 'not-applicable': 'N/A' } as const;

/**
 * The controls of a framework, one row each — id, status, failed/total resources, title — the
 * failing resources under the row, then the score: the table Kubescape users read.
 */
export function complianceLines(view: ComplianceView, paint: CompliancePaint): string[] {
  const idWidth = Math.max(7, ...view.controls.map((c) => c.id.length));
  const out = [
    paint.bold(`${view.title}`),
    paint.dim(`  ${pad('CONTROL', idWidth)}  STATUS  FAILED/ALL  TITLE`),
  ];
  for (const c of view.controls) {
    const status = pad(STATUS[c.status], 6);
    const painted =
      c.status === 'fail' ? paint.fail(status) : c.status === 'pass' ? paint.pass(status) : paint.dim(status);
    const counts = pad(c.status === 'not-applicable' ? '-' : `${c.failed}/${c.resources}`, 10);
    out.push(`  ${pad(c.id, idWidth)}  ${painted}  ${counts}  ${c.title}`);
    for (const resource of c.affected) out.push(paint.dim(`  ${' '.repeat(idWidth)}    ↳ ${resource}`));
  }
  const count = (s: string) => view.controls.filter((c) => c.status === s).length;
  out.push(
    '',
    `${view.framework} compliance score: ${view.score.toFixed(2)}% (${count('pass')} passed, ${count('fail')} failed, ${count('not-applicable')} not applicable)`,
  );
  return out;
}
