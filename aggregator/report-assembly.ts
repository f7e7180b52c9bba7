import {
  type Finding,
  type InputProblem,
  type Report,
  type ScopedSummaries,
  summarizeByScope,
} from '../core/model/index.js';
import type { ListedScan, ReportHeader } from '../core/protocol/index.js';
import { buildReport } from '../core/report/build-report.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { decodeFindings, jobResultKey, reportKey, summaryKey } from '../core/store/scan-objects.js';
import { CONFIG_JOB_ID, loadConfigContext } from './config-step.js';
import { storeReportPages } from './report-pages.js';
import type { ScanRecord } from './scan-record.js';

/**
 * `scans/<id>/summary.json`: what `results.list` shows of a scan without reading its report, and its
 * counts per scope (finding-scope.ts) so a reader who may see only part of it gets that part's counts
 * without the report being read. Summaries stored before `scopes` existed lack it.
 */
export type ScanSummary = ListedScan & { scopes?: ScopedSummaries };

/** A stored job result, or undefined when the job has none (it failed, or was never run). */
export async function readJobFindings(
  store: ObjectStore,
  scanId: string,
  jobId: string,
): Promise<Finding[] | undefined> {
  const key = jobResultKey(scanId, jobId);
  const body = await store.get(key);
  return body ? decodeFindings(key, body) : undefined;
}

/**
 * The merged report: the config findings and every acked job's stored findings, each distinct finding
 * once (the id is the fingerprint, so the same problem seen by two jobs merges); every job that did not
 * finish is a problem in the report, so nobody mistakes a partial scan for a clean one.
 */
export async function assembleReport(
  store: ObjectStore,
  record: ScanRecord,
  finishedAt: Date,
  /** Job results this replica already holds (it ingested them); the rest are read from the store. */
  known: ReadonlyMap<string, readonly Finding[]> = new Map(),
): Promise<Report> {
  const context = await loadConfigContext(store, record.scanId);
  const byId = new Map<string, Finding>();
  const problems: InputProblem[] = [...record.problems, ...context.problems];
  const sources = [
    ...(record.scanners.includes('config') ? [CONFIG_JOB_ID] : []),
    ...Object.entries(record.jobs)
      .filter(([, job]) => job.state === 'acked')
      .map(([id]) => id),
  ];
  for (const jobId of sources) {
    try {
      for (const finding of known.get(jobId) ?? (await readJobFindings(store, record.scanId, jobId)) ?? [])
        if (!byId.has(finding.id)) byId.set(finding.id, finding);
    } catch (error) {
      problems.push({ kind: 'error', source: `job ${jobId}`, message: (error as Error).message });
    }
  }
  for (const [jobId, job] of Object.entries(record.jobs)) {
    const what = `${job.kind} job ${jobId} on node ${job.node}${job.image ? ` (${job.image})` : ''}`;
    // An acked job's problems are errors too: an image inventoried but not matched is not a clean image.
    for (const message of job.problems ?? []) problems.push({ kind: 'error', source: what, message });
    if (job.state === 'acked' || job.state === 'queued') continue;
    problems.push({
      kind: 'error',
      source: what,
      message:
        job.state === 'timedOut'
          ? `timed out: ${job.error ?? 'no agent finished it in time'}`
          : `failed: ${job.error ?? 'unknown error'}`,
    });
  }
  return buildReport({
    scanId: record.scanId,
    target: { kind: 'workload', name: record.targetName },
    startedAt: new Date(record.startedAt),
    finishedAt,
    findings: [...byId.values()],
    resources: context.resources,
    problems,
    skippedKinds: context.skippedKinds,
  });
}

/**
 * Writes the report (paged, then report.json) and its summary; all idempotent by key, so finishing a scan
 * twice is harmless.
 */
export async function storeReport(store: ObjectStore, report: Report): Promise<void> {
  await storeReportPages(store, report);
  const errors = report.problems.filter((p) => p.kind !== 'warning').length;
  await store.put(reportKey(report.scanId), JSON.stringify(report), { contentType: 'application/json' });
  const summary: ScanSummary = {
    scanId: report.scanId,
    target: report.target.name,
    startedAt: report.startedAt,
    finishedAt: report.finishedAt,
    summary: { ...report.summary },
    scopes: summarizeByScope(report.findings),
    state: errors > 0 ? 'incomplete' : 'complete',
    problems: errors,
  };
  await store.put(summaryKey(report.scanId), JSON.stringify(summary), { contentType: 'application/json' });
}

/** A report as its closing message carries it: everything but the findings, which go in batches before. */
export function headerOf(report: Report): { reportKey: string; report: ReportHeader } {
  const { findings, ...header } = report;
  return { reportKey: reportKey(report.scanId), report: { ...header, findingCount: findings.length } };
}
