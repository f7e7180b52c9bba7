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

/** Assembles a report with findings in a stable order: most severe first, then by resource and rule. */
export function buildReport(parts: ReportParts): Report {
  const findings = [...parts.findings].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      resourceKey(a).localeCompare(resourceKey(b)) ||
      a.ruleId.localeCompare(b.ruleId) ||
      a.id.localeCompare(b.id),
  );
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

function resourceKey(f: Finding): string {
  const r = f.resource;
  return [r.namespace, r.kind, r.name, r.container, r.node, r.image].map((s) => s ?? '').join('/');
}
