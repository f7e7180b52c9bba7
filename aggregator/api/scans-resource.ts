import { z } from 'zod';
import { SCANNER_NAMES, ScannerName, ScanTarget } from '../../core/protocol/index.js';
import type { Caller } from '../access.js';
import { listScans } from '../results.js';
import { ALL_SCANNERS, type ScanCoordinator } from '../scan-coordinator.js';
import { apiErrors } from './api-status.js';
import { type ScanObject, scanFromRecord, scanFromSummary } from './scan-objects.js';

/** Stored scans read per listing (newest first); older ones are in `kubectl seco results`. */
const LISTED_SCANS = 200;

/** Scans in a namespace (all when undefined): running ones from the scan records, done ones from their summaries. */
export async function listScanObjects(
  c: ScanCoordinator,
  namespace: string | undefined,
): Promise<ScanObject[]> {
  const byName = new Map<string, ScanObject>();
  for (const summary of await listScans(c.options.store, LISTED_SCANS)) {
    const scan = scanFromSummary(summary);
    if (namespace === undefined || scan.metadata.namespace === namespace)
      byName.set(scan.metadata.name, scan);
  }
  for (const id of await c.store.ids()) {
    const record = await c.store.get(id).catch(() => undefined);
    if (!record || byName.has(id)) continue;
    const scan = scanFromRecord(record);
    if (namespace === undefined || scan.metadata.namespace === namespace) byName.set(id, scan);
  }
  return [...byName.values()].sort((a, b) => b.metadata.name.localeCompare(a.metadata.name));
}

export async function getScanObject(
  c: ScanCoordinator,
  namespace: string | undefined,
  name: string,
): Promise<ScanObject> {
  const record = await c.store.get(name).catch(() => undefined);
  const found = record
    ? scanFromRecord(record)
    : (await listScanObjects(c, namespace)).find((s) => s.metadata.name === name);
  if (!found || (namespace !== undefined && found.metadata.namespace !== namespace))
    throw apiErrors.notFound('scans', name);
  return found;
}

/** The body of `POST .../namespaces/<ns>/scans`: what to scan in that namespace, and with which scanners. */
const ScanRequest = z.object({
  apiVersion: z.string().optional(),
  kind: z.literal('Scan').optional(),
  metadata: z.object({}).passthrough().optional(),
  spec: z.object({
    target: z.object({
      kind: ScanTarget.shape.kind,
      name: ScanTarget.shape.name,
      selector: ScanTarget.shape.selector,
    }),
    scanners: z.array(ScannerName).min(1).max(SCANNER_NAMES.length).optional(),
  }),
});

/** Starts a scan as `scan.start` does; it runs on without a client, and its results are read like any scan's. */
export async function createScanObject(
  c: ScanCoordinator,
  caller: Caller,
  namespace: string,
  body: unknown,
): Promise<ScanObject> {
  const parsed = ScanRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw apiErrors.invalid(`Scan.seco.dev is invalid: ${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const target = ScanTarget.safeParse({ namespace, ...parsed.data.spec.target });
  if (!target.success)
    throw apiErrors.invalid(`Scan.seco.dev is invalid: spec.target: ${target.error.issues[0]!.message}`);
  const record = await c.createScan(target.data, parsed.data.spec.scanners ?? ALL_SCANNERS, caller.name);
  void c.plan(record.scanId);
  return scanFromRecord(record);
}
