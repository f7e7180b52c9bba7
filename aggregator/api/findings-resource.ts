import type { Finding } from '../../core/model/index.js';
import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import type { Access, Caller } from '../access.js';
import { visibleFindings } from '../finding-visibility.js';
import { listScans, readReport, targetNamespace } from '../results.js';
import type { ScanCoordinator } from '../scan-coordinator.js';
import type { FindingEntry } from './api-change-feed.js';
import { apiErrors } from './api-status.js';
import { age, type TableColumn } from './api-table.js';

/** Reports read per listing, newest first: the current state of a namespace is in its latest scans. */
const REPORTS_READ = 20;

/** A finding as a `seco.dev/v1alpha1` Finding object; `spec` is the finding itself (core/model). */
export interface FindingObject {
  apiVersion: string;
  kind: 'Finding';
  metadata: {
    name: string;
    namespace?: string;
    creationTimestamp?: string;
    labels: Record<string, string>;
    resourceVersion: string;
  };
  spec: Finding;
}

export function findingObject(finding: Finding, scanId: string): FindingObject {
  return {
    apiVersion: `${SECO_API_GROUP}/${SECO_API_VERSION}`,
    kind: 'Finding',
    metadata: {
      name: finding.id,
      ...(finding.resource.namespace ? { namespace: finding.resource.namespace } : {}),
      ...(finding.firstSeen ? { creationTimestamp: finding.firstSeen } : {}),
      labels: { 'seco.dev/scan': scanId, 'seco.dev/severity': finding.severity },
      resourceVersion: '0',
    },
    spec: finding,
  };
}

/** The findings of a namespace (all when undefined) from the newest stored reports, one per finding id. */
export async function latestFindingEntries(
  c: ScanCoordinator,
  namespace: string | undefined,
): Promise<FindingEntry[]> {
  const summaries = (await listScans(c.options.store, 500))
    .filter((s) => namespace === undefined || targetNamespace(s.target) === namespace)
    .slice(0, REPORTS_READ);
  const byId = new Map<string, FindingEntry>();
  for (const summary of summaries) {
    const report = await readReport(c.options.store, summary.scanId).catch(() => undefined);
    for (const finding of report?.findings ?? [])
      if (!byId.has(finding.id) && (namespace === undefined || finding.resource.namespace === namespace))
        byId.set(finding.id, { finding, scanId: summary.scanId });
  }
  return [...byId.values()];
}

/**
 * The findings of a namespace (all namespaces when undefined) from the newest stored reports, newest
 * first and one per finding id, each only if the caller may see the object it is about
 * (finding-visibility.ts): a reader of `shop` does not get a node's host findings from a scan of `shop`.
 */
export async function listFindingObjects(
  c: ScanCoordinator,
  access: Access,
  caller: Caller,
  namespace: string | undefined,
): Promise<FindingObject[]> {
  const entries = await latestFindingEntries(c, namespace);
  const scanOf = new Map(entries.map((e) => [e.finding, e.scanId]));
  const visible = await visibleFindings(
    access,
    caller,
    entries.map((e) => e.finding),
  );
  return visible.map((finding) => findingObject(finding, scanOf.get(finding)!));
}

export async function getFindingObject(
  c: ScanCoordinator,
  access: Access,
  caller: Caller,
  namespace: string | undefined,
  name: string,
): Promise<FindingObject> {
  const found = (await listFindingObjects(c, access, caller, namespace)).find(
    (f) => f.metadata.name === name,
  );
  if (!found) throw apiErrors.notFound('findings', name);
  return found;
}

/** The Resource column of objects whose spec is a finding: Kind/name, or the node for a node's own. */
export function resourceColumn<O extends { spec: Finding }>(description: string): TableColumn<O> {
  return {
    name: 'Resource',
    type: 'string',
    description,
    cell: (o) =>
      [o.spec.resource.kind, o.spec.resource.name].filter(Boolean).join('/') || o.spec.resource.node || '',
  };
}

export const FINDING_COLUMNS: TableColumn<FindingObject>[] = [
  {
    name: 'Name',
    type: 'string',
    description: 'finding id (stable fingerprint)',
    cell: (f) => f.metadata.name,
  },
  {
    name: 'Severity',
    type: 'string',
    description: 'critical, high, medium, low, info',
    cell: (f) => f.spec.severity,
  },
  { name: 'Rule', type: 'string', description: 'the rule or advisory', cell: (f) => f.spec.ruleId },
  resourceColumn('what the finding is about'),
  { name: 'Scanner', type: 'string', description: 'which scanner found it', cell: (f) => f.spec.scanner },
  { name: 'Title', type: 'string', description: 'what is wrong', cell: (f) => f.spec.title, priority: 1 },
  {
    name: 'Age',
    type: 'date',
    description: 'since first seen',
    cell: (f) => age(f.metadata.creationTimestamp),
  },
];
