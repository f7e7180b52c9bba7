import type { Finding } from '../../core/model/index.js';
import { atLeast, type SeverityLevel as Severity } from '../../core/model/severity-levels.js';
import type { ReportHeader } from '../../core/protocol/index.js';
import type { ReportSink } from '../cluster/report-sink.js';
import { EXIT_FINDINGS, EXIT_INPUT, EXIT_OK } from './exit-codes.js';

/** What `"findings": []` ends with in the header's JSON: the findings key is written last. */
const EMPTY_TAIL = '[]\n}';

/**
 * `-o json` of a cluster report written as it arrives: the same bytes the json renderer prints for the
 * whole report (header keys, then `findings` last, two-space indentation), but one finding in memory at a
 * time — a report of half a million findings is printed, not held. The exit code is emitReport's.
 */
export class JsonReportWriter implements ReportSink {
  private opened = false;
  private count = 0;
  private incomplete = false;
  private failing = false;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly failOn?: Severity,
  ) {}

  header(header: ReportHeader): void {
    const { findingCount: _count, ...rest } = header;
    const text = JSON.stringify({ ...rest, findings: [] }, null, 2);
    if (!text.endsWith(EMPTY_TAIL)) throw new Error('report header: findings must be its last key');
    this.out.write(`${text.slice(0, -EMPTY_TAIL.length)}[`);
    this.incomplete = header.problems.some((p) => p.kind !== 'warning');
    this.opened = true;
  }

  findings(batch: readonly Finding[]): void {
    if (!this.opened) throw new Error('findings arrived before the report header');
    let text = '';
    for (const finding of batch) {
      text += `${this.count++ === 0 ? '' : ','}\n    ${JSON.stringify(finding, null, 2).replace(/\n/g, '\n    ')}`;
      if (this.failOn && finding.status === 'open' && atLeast(finding.severity, this.failOn))
        this.failing = true;
    }
    if (text) this.out.write(text);
  }

  /** Closes the JSON; the exit code: 2 when some input could not be scanned, else 1 when --fail-on is met. */
  end(): number {
    if (!this.opened) throw new Error('the report ended before its header');
    this.out.write(this.count === 0 ? ']\n}\n' : '\n  ]\n}\n');
    if (this.incomplete) return EXIT_INPUT;
    return this.failing ? EXIT_FINDINGS : EXIT_OK;
  }
}
