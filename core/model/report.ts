import { z } from 'zod';
import { ComplianceView } from './compliance.js';
import { Finding } from './finding.js';
import { SEVERITIES, Severity } from './severity.js';

export const REPORT_SCHEMA_VERSION = 'seco.report/v1';

export const PodSecurityLevel = z.enum(['privileged', 'baseline', 'restricted']);
export type PodSecurityLevel = z.infer<typeof PodSecurityLevel>;

export const ReportResource = z.object({
  apiVersion: z.string().optional(),
  kind: z.string(),
  namespace: z.string().optional(),
  name: z.string(),
  file: z.string().optional(),
  line: z.number().int().positive().optional(),
  /** Present for every resource that carries a pod spec: the highest PSS level it meets. */
  podSecurity: z.object({ level: PodSecurityLevel }).optional(),
});
export type ReportResource = z.infer<typeof ReportResource>;

export const SeveritySummary = z.object({
  critical: z.number().int().nonnegative(),
  high: z.number().int().nonnegative(),
  medium: z.number().int().nonnegative(),
  low: z.number().int().nonnegative(),
  info: z.number().int().nonnegative(),
  /** Findings that matched a suppression; they are not counted in the severities above. */
  suppressed: z.number().int().nonnegative(),
});
export type SeveritySummary = z.infer<typeof SeveritySummary>;

/** A problem with the input (a file that would not parse, a refused file): the scan went on without it. */
export const InputProblem = z.object({
  /** `error`: input that could not be scanned; `warning`: worth knowing, nothing was left out. */
  kind: z.enum(['error', 'warning']).optional(),
  source: z.string(),
  line: z.number().int().positive().optional(),
  message: z.string(),
});
export type InputProblem = z.infer<typeof InputProblem>;

/**
 * What `--severity` left out of this output: the report's `summary` counts only what is shown, `hidden`
 * counts the rest, so a reader sees that more was found than printed.
 */
export const ReportFilter = z.object({
  /** The severities shown (`--severity`). */
  severities: z.array(Severity),
  hidden: SeveritySummary,
});
export type ReportFilter = z.infer<typeof ReportFilter>;

export const ReportTarget = z.object({
  kind: z.enum(['files', 'workload', 'image', 'host', 'runtime']),
  name: z.string(),
});

/** The outcome of one benchmark-style check (CIS host checks), so passes and "not applicable" are visible too. */
export const CheckOutcome = z.object({
  id: z.string(),
  title: z.string(),
  status: z.enum(['pass', 'fail', 'not-applicable']),
  reason: z.string().optional(),
});
export type CheckOutcome = z.infer<typeof CheckOutcome>;

export const Report = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  scanId: z.string().min(1),
  target: ReportTarget,
  startedAt: z.string().datetime(),
  finishedAt: z.string().datetime(),
  summary: SeveritySummary,
  resources: z.array(ReportResource),
  findings: z.array(Finding),
  problems: z.array(InputProblem),
  /** Objects read but not scanned because no scanner knows their kind, counted per kind. */
  skippedKinds: z.record(z.string(), z.number().int().positive()),
  checks: z.array(CheckOutcome).optional(),
  /** Present when the output was filtered by severity (`--severity`). */
  filtered: ReportFilter.optional(),
  /** Set with `--compliance`: one row per control of the framework, and a score. */
  compliance: ComplianceView.optional(),
});
export type Report = z.infer<typeof Report>;

export function summarize(findings: readonly Finding[]): SeveritySummary {
  const summary = emptySummary();
  for (const f of findings) countInSummary(summary, f);
  return summary;
}

export function emptySummary(): SeveritySummary {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0, suppressed: 0 };
}

/** Counts one finding: suppressed ones apart, the others by severity. */
export function countInSummary(summary: SeveritySummary, f: Finding): void {
  if (f.status === 'suppressed') summary.suppressed++;
  else summary[f.severity]++;
}

export function severitiesOf(summary: SeveritySummary): Array<[Severity, number]> {
  return SEVERITIES.map((s) => [s, summary[s]]);
}
