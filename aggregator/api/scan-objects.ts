import { decodeTime } from 'ulid';
import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import type { ScanSummary } from '../report-assembly.js';
import { targetNamespace } from '../results.js';
import type { ScanRecord } from '../scan-record.js';
import { age, type TableColumn } from './api-table.js';

/**
 * A scan as a `seco.dev/v1alpha1` Scan object, made on request from what seco stores (the scan's
 * record while it runs, its summary in the object store once done): nothing of it is in etcd.
 */
export interface ScanObject {
  apiVersion: string;
  kind: 'Scan';
  metadata: { name: string; namespace?: string; creationTimestamp?: string; resourceVersion: string };
  spec: { target: string; scanners?: string[]; requestedBy?: string };
  status: { phase: string; finishedAt?: string; summary?: Record<string, number>; jobs?: number };
}

const API_VERSION = `${SECO_API_GROUP}/${SECO_API_VERSION}`;

/** Scan ids are ULIDs (lower-cased): their first 10 characters are the start time. */
function ulidTime(id: string): string | undefined {
  try {
    return new Date(decodeTime(id.toUpperCase())).toISOString();
  } catch {
    return undefined; // not a ULID (a scan stored by hand, or by another tool)
  }
}

export function scanFromRecord(record: ScanRecord): ScanObject {
  const ns = targetNamespace(record.targetName);
  return {
    apiVersion: API_VERSION,
    kind: 'Scan',
    metadata: {
      name: record.scanId,
      ...(ns ? { namespace: ns } : {}),
      creationTimestamp: record.startedAt,
      resourceVersion: '0',
    },
    spec: { target: record.targetName, scanners: record.scanners, requestedBy: record.requestedBy },
    status: {
      phase: record.status.charAt(0).toUpperCase() + record.status.slice(1),
      ...(record.finishedAt ? { finishedAt: record.finishedAt } : {}),
      jobs: Object.keys(record.jobs).length,
    },
  };
}

export function scanFromSummary(summary: ScanSummary): ScanObject {
  const ns = targetNamespace(summary.target);
  const started = summary.startedAt ?? ulidTime(summary.scanId);
  return {
    apiVersion: API_VERSION,
    kind: 'Scan',
    metadata: {
      name: summary.scanId,
      ...(ns ? { namespace: ns } : {}),
      ...(started ? { creationTimestamp: started } : {}),
      resourceVersion: '0',
    },
    spec: { target: summary.target },
    status: {
      phase: 'Done',
      ...(summary.finishedAt ? { finishedAt: summary.finishedAt } : {}),
      summary: summary.summary,
    },
  };
}

const count = (severity: string) => (s: ScanObject) => s.status.summary?.[severity] ?? 0;

export const SCAN_COLUMNS: TableColumn<ScanObject>[] = [
  { name: 'Name', type: 'string', description: 'scan id', cell: (s) => s.metadata.name },
  { name: 'Target', type: 'string', description: 'what was scanned', cell: (s) => s.spec.target },
  {
    name: 'Phase',
    type: 'string',
    description: 'Resolving, Running, Finishing, Done, Failed',
    cell: (s) => s.status.phase,
  },
  { name: 'Critical', type: 'integer', description: 'critical findings', cell: count('critical') },
  { name: 'High', type: 'integer', description: 'high findings', cell: count('high') },
  { name: 'Medium', type: 'integer', description: 'medium findings', cell: count('medium'), priority: 1 },
  { name: 'Low', type: 'integer', description: 'low findings', cell: count('low'), priority: 1 },
  {
    name: 'Age',
    type: 'date',
    description: 'since the scan started',
    cell: (s) => age(s.metadata.creationTimestamp),
  },
];
