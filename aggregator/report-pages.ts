import { z } from 'zod';
import type { Finding, Report } from '../core/model/index.js';
import { ReportHeader } from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import {
  decodeFindings,
  encodeFindings,
  REPORT_PAGE_FINDINGS,
  reportHeaderKey,
  reportPageKey,
} from '../core/store/scan-objects.js';
import { headerOf } from './report-assembly.js';

/** Most pages a stored header may name: 100 million findings. Anything more is a hostile object. */
const MAX_PAGES = 20_000;

const PagedHeader = z.object({
  header: ReportHeader,
  pages: z.number().int().nonnegative().max(MAX_PAGES),
});
export type PagedHeader = z.infer<typeof PagedHeader>;

/**
 * The report as pages of findings and a header, beside report.json: serving a report then holds one page
 * at a time instead of the whole report (a 485,000-finding report.json is ≈490 MiB of JSON and several
 * GiB parsed). Pages first, header last; every write is idempotent by key, so a retried finish is harmless.
 */
export async function storeReportPages(store: ObjectStore, report: Report): Promise<void> {
  const pages = Math.ceil(report.findings.length / REPORT_PAGE_FINDINGS);
  for (let page = 0; page < pages; page++) {
    const slice = report.findings.slice(page * REPORT_PAGE_FINDINGS, (page + 1) * REPORT_PAGE_FINDINGS);
    await store.put(reportPageKey(report.scanId, page), encodeFindings(slice), {
      contentType: 'application/x-ndjson',
    });
  }
  const paged: PagedHeader = { header: headerOf(report).report, pages };
  await store.put(reportHeaderKey(report.scanId), JSON.stringify(paged), { contentType: 'application/json' });
}

/** The stored paged header of a scan, validated (the bucket is input); undefined when there is none. */
export async function readPagedHeader(store: ObjectStore, scanId: string): Promise<PagedHeader | undefined> {
  const body = await store.get(reportHeaderKey(scanId));
  if (!body) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new Error(`${reportHeaderKey(scanId)} is not JSON`);
  }
  const parsed = PagedHeader.safeParse(value);
  if (!parsed.success)
    throw new Error(`${reportHeaderKey(scanId)} is not a report header: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

/** The report's findings, one page at a time, in the report's order. A missing page is an error naming it. */
export async function* readReportPages(
  store: ObjectStore,
  scanId: string,
  pages: number,
): AsyncGenerator<Finding[]> {
  for (let page = 0; page < pages; page++) {
    const key = reportPageKey(scanId, page);
    const body = await store.get(key);
    if (!body) throw new Error(`${key} is missing: the stored report is incomplete`);
    yield decodeFindings(key, body);
  }
}
