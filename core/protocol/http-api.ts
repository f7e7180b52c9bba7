import { z } from 'zod';
import { Severity } from '../model/index.js';
import { ScanTarget } from './client-messages.js';
import { SCANNER_NAMES, ScannerName } from './scanner-names.js';

/** `POST /v1/scans`: what to scan, with which scanners, and the severity that fails the scan. */
export const ScanRequest = z
  .object({
    target: ScanTarget,
    scanners: z.array(ScannerName).min(1).max(SCANNER_NAMES.length).optional(),
    failOn: Severity.optional(),
  })
  .strict();
export type ScanRequest = z.infer<typeof ScanRequest>;

/** What the API keeps beside a scan it started: who asked, the gate, and how it ended if it failed to start. */
export const ApiScanRecord = z.object({
  scanId: z.string(),
  target: z.string(),
  requestedBy: z.string(),
  failOn: Severity.optional(),
  createdAt: z.string(),
  error: z.string().optional(),
});
export type ApiScanRecord = z.infer<typeof ApiScanRecord>;
