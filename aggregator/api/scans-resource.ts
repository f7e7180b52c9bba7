import { z } from 'zod';
import { SCANNER_NAMES, ScannerName, ScanTarget } from '../../core/protocol/index.js';
import type { Access, Caller } from '../access.js';
import { visibleSummary } from '../finding-visibility.js';
import { listScans, scanScopes } from '../results.js';
import { ALL_SCANNERS, type ScanCoordinator } from '../scan-coordinator.js';
import type { ScanEntry } from './api-change-feed.js';
import { apiErrors } from './api-status.js';
import { type ScanObject, scanFromRecord, scanFromSummary } from './scan-objects.js';

/** Stored scans read per listing (newest first); older ones are in `kubectl seco results`. */
const LISTED_SCANS = 200;

/**
 * Scans in a namespace (all when undefined): running ones from the scan records, done ones from their
 * summaries (with their per-scope counts, so each reader's own counts can be made without the report).
 */
export async function listScanEntries(
  c: ScanCoordinator,
  namespace: string | undefined,
): Promise<ScanEntry[]> {
  const byName = new Map<string, ScanEntry>();
  for (const summary of await listScans(c.options.store, LISTED_SCANS)) {
    const object = scanFromSummary(summary);
    if (namespace === undefined || object.metadata.namespace === namespace)
      byName.set(object.metadata.name, { object, ...(summary.scopes ? { scopes: summary.scopes } : {}) });
  }
  for (const id of await c.store.ids()) {
    const record = await c.store.get(id).catch(() => undefined);
    if (!record || byName.has(id)) continue;
    const object = scanFromRecord(record);
    if (namespace === undefined || object.metadata.namespace === namespace) byName.set(id, { object });
  }
  return [...byName.values()].sort((a, b) => b.object.metadata.name.localeCompare(a.object.metadata.name));
}

export async function getScanEntry(
  c: ScanCoordinator,
  namespace: string | undefined,
  name: string,
): Promise<ScanEntry> {
  const record = await c.store.get(name).catch(() => undefined);
  const found = record
    ? { object: scanFromRecord(record) }
    : (await listScanEntries(c, namespace)).find((s) => s.object.metadata.name === name);
  if (!found || (namespace !== undefined && found.object.metadata.namespace !== namespace))
    throw apiErrors.notFound('scans', name);
  return found;
}

/**
 * A scan as this caller sees it: a done scan's counts are over the findings they may see
 * (finding-visibility.ts), not the whole scan's — a reader of one namespace learns nothing of the rest.
 */
export async function scanForCaller(
  c: ScanCoordinator,
  access: Access,
  caller: Caller,
  entry: ScanEntry,
): Promise<ScanObject> {
  const object = structuredClone(entry.object);
  if (caller.source === 'static-token' || !object.status.summary) return object;
  const scopes = entry.scopes ?? (await scanScopes(c.options.store, object.metadata.name)) ?? {};
  object.status.summary = await visibleSummary(access, caller, scopes);
  return object;
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
