import type { Finding } from '../core/model/index.js';
import type { ReportHeader } from '../core/protocol/index.js';
import { REPORT_PAGE_FINDINGS } from '../core/store/scan-objects.js';
import { visibleFindings, visibleHeader } from './finding-visibility.js';
import { headerOf } from './report-assembly.js';
import { readPagedHeader, readReportPages } from './report-pages.js';
import { readReport, scanScopes, targetNamespace } from './results.js';
import type { SessionContext } from './session-context.js';

/** A stored report sent on request: its header, and its findings page by page. */
export interface StoredReport {
  header: ReportHeader;
  pages: AsyncIterable<Finding[]>;
}

/**
 * A stored report the caller may read; else undefined, the client told why. Read as pages when the
 * finisher stored them; a report stored before pages existed is read whole and cut into pages.
 */
export async function readStoredReport(
  context: SessionContext,
  requestId: string,
  scanId: string,
  missing: string,
): Promise<StoredReport | undefined> {
  const { caller, channel, options } = context;
  const store = options.coordinator.options.store;
  let stored: StoredReport | undefined;
  const paged = /^[0-9a-z]{1,64}$/.test(scanId) ? await readPagedHeader(store, scanId) : undefined;
  if (paged) stored = { header: paged.header, pages: readReportPages(store, scanId, paged.pages) };
  else {
    const report = await readReport(store, scanId);
    if (report) stored = { header: headerOf(report).report, pages: inPages(report.findings) };
  }
  if (!stored) {
    channel.error('not-found', missing, requestId);
    return undefined;
  }
  if (!(await options.access.mayRead(caller, targetNamespace(stored.header.target.name)))) {
    channel.error('forbidden', `${caller.name} may not read scan ${scanId}`, requestId);
    return undefined;
  }
  return caller.source === 'static-token' ? stored : visibleOnly(context, stored, scanId);
}

/**
 * A Kubernetes user sees only the findings about objects they may see (finding-visibility.ts): pages
 * are filtered as they are read, and the header — sent before the pages with `headerFirst`, or after
 * them — counts only those, from the report's per-scope counts.
 */
async function visibleOnly(
  { caller, options }: SessionContext,
  stored: StoredReport,
  scanId: string,
): Promise<StoredReport> {
  const { access, coordinator } = options;
  const scopes = (await scanScopes(coordinator.options.store, scanId)) ?? {};
  async function* pages(): AsyncGenerator<Finding[]> {
    for await (const page of stored.pages) yield await visibleFindings(access, caller, page);
  }
  return { header: await visibleHeader(access, caller, stored.header, { scopes }), pages: pages() };
}

/** An in-memory report's findings in stored-page sizes. */
export async function* inPages(findings: readonly Finding[]): AsyncGenerator<Finding[]> {
  for (let i = 0; i < findings.length; i += REPORT_PAGE_FINDINGS)
    yield findings.slice(i, i + REPORT_PAGE_FINDINGS);
}
