import { gzipSync } from 'node:zlib';
import type { Finding } from '../core/model/index.js';

/** `scans/<scanId>/jobs/<jobId>.ndjson.gz`: the same job written twice (a redelivery) overwrites, never duplicates. */
export function jobResultKey(scanId: string, jobId: string): string {
  return `scans/${scanId}/jobs/${jobId}.ndjson.gz`;
}

export function encodeFindings(findings: readonly Finding[]): Buffer {
  return gzipSync(findings.map((f) => JSON.stringify(f)).join('\n') + (findings.length > 0 ? '\n' : ''));
}
