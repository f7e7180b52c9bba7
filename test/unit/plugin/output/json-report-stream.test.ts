import { describe, expect, it } from '@jest/globals';
import type { Finding, Report } from '../../../../core/model/index.js';
import { buildReport } from '../../../../core/report/build-report.js';
import { jsonRenderer } from '../../../../core/report/render/json.js';
import { ReportCollector } from '../../../../plugin/cluster/report-sink.js';
import { JsonReportWriter } from '../../../../plugin/output/json-report-stream.js';

const at = '2026-12-06T08:00:00.000Z';
function finding(i: number, severity: Finding['severity'] = 'medium'): Finding {
  return {
    id: `f${String(i).padStart(4, '0')}`,
    scanner: 'config',
    ruleId: `rule-${i % 3}`,
    title: `a "quoted" title\nover two lines ${i}`,
    severity,
    resource: { kind: 'Deployment', namespace: 'shop', name: `web-${i}` },
    evidence: 'spec.containers[0]',
    remediation: 'fix it',
    references: [{ kind: 'url', id: 'x', url: 'https://example.com' }],
    firstSeen: at,
    lastSeen: at,
    status: 'open',
  };
}

/** The report as the plugin held it whole: the header's keys, then findings (aggregator-client's order). */
function asStreamed(report: Report) {
  const { findings, ...rest } = report;
  return { header: { ...rest, findingCount: findings.length }, findings };
}

function written(report: Report, batchSize: number, failOn?: Finding['severity']) {
  const { header, findings } = asStreamed(report);
  let out = '';
  const writer = new JsonReportWriter({ write: (text: string) => (out += text) }, failOn);
  writer.header(header);
  for (let i = 0; i < findings.length; i += batchSize) writer.findings(findings.slice(i, i + batchSize));
  const code = writer.end();
  return { out, code, header, findings };
}

function report(findings: Finding[], problems: Report['problems'] = []): Report {
  return buildReport({
    scanId: 's1',
    target: { kind: 'workload', name: 'shop/web' },
    startedAt: new Date(at),
    finishedAt: new Date(at),
    findings,
    resources: [],
    problems,
    skippedKinds: {},
  });
}

describe('JsonReportWriter', () => {
  it.each([0, 1, 7, 450])(
    'prints %i findings byte for byte as the json renderer prints the whole report',
    (n) => {
      const whole = report(Array.from({ length: n }, (_, i) => finding(i)));
      const { out, header, findings } = written(whole, 200);
      const collector = new ReportCollector();
      collector.header(header);
      collector.findings(findings);
      expect(out).toBe(jsonRenderer.render(collector.report(), { color: false, toolVersion: 't' }));
    },
  );

  it('exits 1 on an open finding at --fail-on, 2 when the report has an error problem, else 0', () => {
    expect(written(report([finding(1, 'low')]), 10, 'high').code).toBe(0);
    expect(written(report([finding(1, 'low'), finding(2, 'critical')]), 1, 'high').code).toBe(1);
    const broken = report([], [{ kind: 'error', source: 'job x', message: 'timed out' }]);
    expect(written(broken, 10, 'high').code).toBe(2);
  });

  it('refuses findings before the header', () => {
    const writer = new JsonReportWriter({ write: () => undefined });
    expect(() => writer.findings([finding(1)])).toThrow('findings arrived before the report header');
  });
});
