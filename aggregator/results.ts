import { Report, ScopedSummaries, summarizeByScope } from '../core/model/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { reportKey, summaryKey } from '../core/store/scan-objects.js';
import type { ScanSummary } from './report-assembly.js';

const SUMMARY = /^scans\/([0-9a-z]{1,64})\/summary\.json$/;

/** Past scans, newest first (scan ids sort by time), read from their small summaries. */
export async function listScans(store: ObjectStore, limit: number): Promise<ScanSummary[]> {
  const ids: string[] = [];
  for await (const key of store.list('scans/')) {
    const id = SUMMARY.exec(key)?.[1];
    if (id) ids.push(id);
  }
  const newest = ids.sort().reverse().slice(0, limit);
  const summaries: ScanSummary[] = [];
  for (const id of newest) {
    const summary = await readSummary(store, id);
    if (summary) summaries.push(summary);
  }
  return summaries;
}

/**
 * One stored scan's summary; undefined when there is none yet. A summary that does not parse is left out
 * of listings (its report is still there to fetch).
 */
export async function readSummary(store: ObjectStore, scanId: string): Promise<ScanSummary | undefined> {
  if (!/^[0-9a-z]{1,64}$/.test(scanId)) return undefined;
  const body = await store.get(summaryKey(scanId));
  if (!body) return undefined;
  try {
    const value = JSON.parse(body.toString('utf8')) as ScanSummary;
    return typeof value.scanId === 'string' && typeof value.target === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A stored report, validated: the bucket is shared, so what comes out of it is input like any other. */
export async function readReport(store: ObjectStore, scanId: string): Promise<Report | undefined> {
  if (!/^[0-9a-z]{1,64}$/.test(scanId)) return undefined;
  const body = await store.get(reportKey(scanId));
  if (!body) return undefined;
  const parsed = Report.safeParse(JSON.parse(body.toString('utf8')));
  if (!parsed.success)
    throw new Error(`${reportKey(scanId)} is not a valid report: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The namespace a stored scan's target is in (`shop/deployment/web`, `shop -l app=web`), for access checks. */
export function targetNamespace(target: string): string | undefined {
  const ns = target.split(/[/ ]/)[0];
  return ns && ns !== '*' ? ns : undefined;
}

/**
 * A stored scan's counts per scope, from its summary; a summary stored before scopes existed (or one that
 * does not validate) has them counted from the report. Undefined when the scan has no stored report.
 */
export async function scanScopes(
  store: ObjectStore,
  scanId: string,
  summary?: { scopes?: unknown },
): Promise<ScopedSummaries | undefined> {
  const stored = summary ?? (await readSummary(store, scanId));
  const parsed = ScopedSummaries.safeParse(stored?.scopes);
  if (parsed.success) return parsed.data;
  const report = await readReport(store, scanId);
  return report ? summarizeByScope(report.findings) : undefined;
}
