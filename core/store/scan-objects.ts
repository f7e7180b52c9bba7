import { gunzipSync, gzipSync } from 'node:zlib';
import { Finding } from '../model/index.js';

// The bucket's layout for scans (see DESIGN "Object layout"): writes are idempotent by key, so a job
// run twice (a redelivery) overwrites its result rather than adding to it.

/** `scans/<scanId>/jobs/<jobId>.ndjson.gz`: one job's findings. */
export function jobResultKey(scanId: string, jobId: string): string {
  return `scans/${scanId}/jobs/${jobId}.ndjson.gz`;
}

/**
 * `scans/<scanId>/jobs/<jobId>.failed.json`: a failed job's error, kept where the aggregator finds it
 * even if it missed the outcome message (it was restarting), as it finds an acked job's results.
 */
export function jobFailureKey(scanId: string, jobId: string): string {
  return `scans/${scanId}/jobs/${jobId}.failed.json`;
}

/**
 * `scans/<scanId>/jobs/<jobId>.problems.json`: what an acked job could not do (a JSON list of strings),
 * written before its result, so a replica that missed the outcome message still reports them.
 */
export function jobProblemsKey(scanId: string, jobId: string): string {
  return `scans/${scanId}/jobs/${jobId}.problems.json`;
}

export function reportKey(scanId: string): string {
  return `scans/${scanId}/report.json`;
}

/**
 * `scans/<scanId>/report/header.json`: the report without its findings (a ReportHeader) and how many
 * pages hold them; written after the pages, so a header means every page is there.
 */
export function reportHeaderKey(scanId: string): string {
  return `scans/${scanId}/report/header.json`;
}

/** `scans/<scanId>/report/findings-<nnnnn>.ndjson.gz`: the report's findings in its order, a page each. */
export function reportPageKey(scanId: string, page: number): string {
  return `scans/${scanId}/report/findings-${String(page).padStart(5, '0')}.ndjson.gz`;
}

/** Findings per stored report page: a few MiB of JSON, so serving a page holds little memory. */
export const REPORT_PAGE_FINDINGS = 5000;

/** A few hundred bytes per scan, so listing past scans reads no reports. */
export function summaryKey(scanId: string): string {
  return `scans/${scanId}/summary.json`;
}

/** The config scan's resources, problems and skipped kinds, kept until the report is written. */
/** The policy objects a client sent with its scan (`scan --policy`), as a JSON array. */
export function scanPoliciesKey(scanId: string): string {
  return `scans/${scanId}/policies.json`;
}

export function configContextKey(scanId: string): string {
  return `scans/${scanId}/config.json`;
}

/** gzip level 1: results are written once and read a few times; level 6 costs 3× the CPU for ~15% less. */
export function encodeFindings(findings: readonly Finding[]): Buffer {
  return gzipSync(findings.map((f) => JSON.stringify(f)).join('\n') + (findings.length > 0 ? '\n' : ''), {
    level: 1,
  });
}

/** Reads a stored result back, validating every line: the bucket is shared, so its contents are input too. */
export function decodeFindings(key: string, body: Buffer, maxBytes = 512 * 1024 * 1024): Finding[] {
  let text: string;
  try {
    text = gunzipSync(body, { maxOutputLength: maxBytes }).toString('utf8');
  } catch (error) {
    throw new Error(`${key}: not a readable gzip NDJSON result: ${(error as Error).message}`);
  }
  const findings: Finding[] = [];
  let line = 0;
  for (const raw of text.split('\n')) {
    line++;
    if (raw.trim() === '') continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch {
      throw new Error(`${key}:${line}: not JSON`);
    }
    const parsed = Finding.safeParse(value);
    if (!parsed.success)
      throw new Error(
        `${key}:${line}: not a finding: ${parsed.error.issues[0]?.path.join('.')}: ${parsed.error.issues[0]?.message}`,
      );
    findings.push(parsed.data);
  }
  return findings;
}
