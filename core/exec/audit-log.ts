import { appendFileSync } from 'node:fs';

/** One audit record: every approval, denial, start and end of a tool run (JSON line). */
export interface AuditRecord {
  time: string;
  event: 'approved' | 'denied' | 'started' | 'ended';
  /** The run's id, shared by its records. */
  run: string;
  tool: string;
  path?: string;
  args?: string[];
  sha256?: string;
  pid?: number;
  reason?: string;
  durationMs?: number;
  exitCode?: number | null;
  signal?: string | null;
  /** Why the executor stopped the run (timeout, output over its cap), when it did. */
  stopped?: string;
  stdoutBytes?: number;
  stderrBytes?: number;
}

export type AuditSink = (record: AuditRecord) => void;

/** Appends each record as one JSON line to `file` (synchronously: an audit record must not be lost to a crash). */
export function auditToFile(file: string): AuditSink {
  return (record) => appendFileSync(file, `${JSON.stringify(record)}\n`, { mode: 0o600 });
}

/** Writes each record as one JSON line to a stream (the service's stderr log). */
export function auditToStream(stream: NodeJS.WritableStream): AuditSink {
  return (record) => stream.write(`${JSON.stringify({ audit: 'seco.exec', ...record })}\n`);
}

/** Keeps records in memory (a local scan that prints them with its report, tests). */
export class AuditMemory {
  readonly records: AuditRecord[] = [];
  readonly sink: AuditSink = (record) => {
    this.records.push(record);
  };
}
