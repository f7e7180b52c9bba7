import { randomUUID } from 'node:crypto';
import {
  type CheckOutcome,
  compareSeverity,
  type Finding,
  type InputProblem,
  REPORT_SCHEMA_VERSION,
  type Report,
  type ReportResource,
  summarize,
} from '../model/index.js';

export interface ReportParts {
  target: Report['target'];
  startedAt: Date;
  finishedAt: Date;
  findings: Finding[];
  resources: ReportResource[];
  problems: InputProblem[];
  skippedKinds: Record<string, number>;
  checks?: CheckOutcome[];
  scanId?: string;
}

/** Findings in a report's stable order: most severe first, then by resource, rule and id. */
export function sortFindings(findings: readonly Finding[]): Finding[] {
  // Keys computed once per finding, not once per comparison: reports can hold hundreds of thousands.
  const keyed = findings.map((f) => ({ f, key: resourceKey(f) }));
  keyed.sort(
    (a, b) =>
      compareSeverity(a.f.severity, b.f.severity) ||
      compareText(a.key, b.key) ||
      compareText(a.f.ruleId, b.f.ruleId) ||
      compareText(a.f.id, b.f.id),
  );
  return keyed.map((k) => k.f);
}

/** Assembles a report with findings in a stable order: most severe first, then by resource and rule. */
export function buildReport(parts: ReportParts): Report {
  const findings = sortFindings(parts.findings);
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    scanId: parts.scanId ?? randomUUID(),
    target: parts.target,
    startedAt: parts.startedAt.toISOString(),
    finishedAt: parts.finishedAt.toISOString(),
    summary: summarize(findings),
    resources: parts.resources,
    findings,
    problems: parts.problems,
    skippedKinds: parts.skippedKinds,
    ...(parts.checks ? { checks: parts.checks } : {}),
  };
}

// Code-unit order: stable across locales, and much cheaper than localeCompare.
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function resourceKey(f: Finding): string {
  const r = f.resource;
  return [r.namespace, r.kind, r.name, r.container, r.node, r.image].map((s) => s ?? '').join('/');
}
