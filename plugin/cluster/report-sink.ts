import type { Finding, Report } from '../../core/model/index.js';
import type { ReportHeader } from '../../core/protocol/index.js';
import { sortFindings } from '../../core/report/build-report.js';

/**
 * Where a cluster report goes as it arrives: its header (everything but the findings), then its findings
 * in the report's order. A collecting sink makes a Report of it; a writing sink prints it as it comes,
 * so a report of any size passes through bounded memory.
 */
export interface ReportSink {
  header(header: ReportHeader): void;
  findings(batch: readonly Finding[]): void;
}

/** The whole report in memory: for renderers that need it all (table, SARIF, YAML, --severity). */
export class ReportCollector implements ReportSink {
  private head?: ReportHeader;
  private readonly all: Finding[] = [];

  header(header: ReportHeader): void {
    this.head = header;
  }

  findings(batch: readonly Finding[]): void {
    for (const finding of batch) this.all.push(finding);
  }

  report(): Report {
    if (!this.head) throw new Error('the report ended before its header');
    const { findingCount: _count, ...header } = this.head;
    return { ...header, findings: sortFindings(this.all) };
  }
}
