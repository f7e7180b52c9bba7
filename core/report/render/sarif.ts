import type { Finding, InputProblem, Report, Severity } from '../../model/index.js';
import type { Renderer } from './renderer.js';

// GitHub code scanning reads `security-severity` as a CVSS-like score to rank alerts.
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: '9.5',
  high: '8.0',
  medium: '5.5',
  low: '3.0',
  info: '0.0',
};
const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = {
  critical: 'error',
  high: 'error',
  medium: 'warning',
  low: 'note',
  info: 'note',
};

function artifactUri(file: string): string {
  const relative = file.replace(/^\.\//, '');
  return relative.split('/').map(encodeURIComponent).join('/');
}

function rulesOf(findings: readonly Finding[]) {
  const rules = new Map<string, Finding>();
  for (const f of findings) if (!rules.has(f.ruleId)) rules.set(f.ruleId, f);
  return [...rules.values()];
}

function location(f: Finding) {
  const r = f.resource;
  const logical = { name: [r.namespace, r.kind, r.name].filter(Boolean).join('/'), kind: 'resource' };
  if (!r.file || r.file === '-') return { logicalLocations: [logical] };
  return {
    physicalLocation: {
      artifactLocation: { uri: artifactUri(r.file) },
      ...(r.line ? { region: { startLine: r.line } } : {}),
    },
    logicalLocations: [logical],
  };
}

/**
 * Problems as SARIF 2.1.0 notifications (§3.58): where the scanner could not read its input or a job
 * failed. A file problem of a local scan points at the file; a cluster job's is named in the message.
 */
function notification(p: InputProblem, report: Report) {
  const isFile = report.target.kind === 'files' && p.source !== '-';
  return {
    level: p.kind === 'warning' ? 'warning' : 'error',
    message: { text: `${p.source}${p.line ? `:${p.line}` : ''}: ${p.message}` },
    ...(isFile
      ? {
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: artifactUri(p.source) },
                ...(p.line ? { region: { startLine: p.line } } : {}),
              },
            },
          ],
        }
      : {}),
  };
}

/**
 * The run's invocation (§3.20): `executionSuccessful` is false when some input could not be scanned
 * (exit 2), so code-scanning tools do not show a partial result as a clean one.
 */
function invocation(report: Report) {
  return {
    executionSuccessful: !report.problems.some((p) => p.kind !== 'warning'),
    startTimeUtc: report.startedAt,
    endTimeUtc: report.finishedAt,
    toolExecutionNotifications: report.problems.map((p) => notification(p, report)),
  };
}

/** SARIF 2.1.0: one run, a rule per check that fired, a result per finding with file and line. */
export const sarifRenderer: Renderer = {
  name: 'sarif',
  render(report: Report, options) {
    const rules = rulesOf(report.findings);
    const index = new Map(rules.map((r, i) => [r.ruleId, i]));
    const log = {
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'seco',
              version: options.toolVersion,
              informationUri: 'https://github.com/seco-dev/seco',
              rules: rules.map((f) => ({
                id: f.ruleId,
                name: f.ruleId,
                shortDescription: { text: f.title },
                fullDescription: { text: f.description ?? f.title },
                ...(f.remediation ? { help: { text: f.remediation } } : {}),
                helpUri: f.references.find((r) => r.url)?.url,
                defaultConfiguration: { level: LEVEL[f.severity] },
                properties: {
                  'security-severity': SECURITY_SEVERITY[f.severity],
                  tags: ['security', f.scanner, ...f.references.map((r) => `${r.kind}:${r.id}`)],
                },
              })),
            },
          },
          invocations: [invocation(report)],
          results: report.findings.map((f) => ({
            ruleId: f.ruleId,
            ruleIndex: index.get(f.ruleId),
            level: LEVEL[f.severity],
            message: { text: f.evidence ? `${f.title}: ${f.evidence}` : f.title },
            locations: [location(f)],
            partialFingerprints: { secoFindingId: f.id },
            ...(f.status === 'suppressed' && f.suppression
              ? {
                  suppressions: [
                    {
                      kind: f.suppression.source === 'annotation' ? 'inSource' : 'external',
                      justification: f.suppression.reason,
                    },
                  ],
                }
              : {}),
          })),
        },
      ],
    };
    return `${JSON.stringify(log, null, 2)}\n`;
  },
};
