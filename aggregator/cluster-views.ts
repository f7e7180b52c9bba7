import type { Bus } from '../core/bus/bus.js';
import type { Finding, Report } from '../core/model/index.js';
import {
  type ActiveScan,
  decodeMessage,
  FindingEvent,
  type KindCounts,
  MAX_BUS_MESSAGE_BYTES,
  type NodeStatus,
} from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import type { AgentDirectory } from './agent-directory.js';
import { listScans, readReport, targetNamespace } from './results.js';
import type { ScanRecord } from './scan-record.js';
import type { ScanStore } from './scan-store.js';
import { WATCH_CATCH_UP_MS } from './watch-feed.js';

/** Whether the caller may read what is in a namespace (undefined: across the cluster). */
export type MayRead = (namespace: string | undefined) => Promise<boolean>;

const IN_FLIGHT: ReadonlySet<ScanRecord['status']> = new Set(['resolving', 'running', 'finishing']);
/** Stored summaries looked at to find each target's latest scan. */
const SUMMARIES_SCANNED = 1000;
/** Events read to count each node's recent detections. */
const NODE_EVENTS_READ = 5000;

/** A scan's jobs as the scans screen draws them: node → kind → counts. */
export function jobsByNodeAndKind(record: ScanRecord): ActiveScan['nodes'] {
  const nodes: ActiveScan['nodes'] = {};
  for (const job of Object.values(record.jobs)) {
    const kinds = nodes[job.node] ?? {};
    nodes[job.node] = kinds;
    const counts: KindCounts = kinds[job.kind] ?? { total: 0, acked: 0, failed: 0, timedOut: 0 };
    kinds[job.kind] = counts;
    counts.total++;
    if (job.state !== 'queued') counts[job.state]++;
  }
  return nodes;
}

/** The scans not yet done that the caller may read, newest first. */
export async function activeScans(store: ScanStore, mayRead: MayRead): Promise<ActiveScan[]> {
  const scans: ActiveScan[] = [];
  for (const scanId of (await store.ids()).sort().reverse()) {
    // A scan that finished (and was deleted) between the listing and the read is simply not active.
    const record = await store.get(scanId).catch(() => undefined);
    if (!record || !IN_FLIGHT.has(record.status)) continue;
    if (!(await mayRead(targetNamespace(record.targetName)))) continue;
    scans.push({
      scanId,
      target: record.targetName,
      status: record.status,
      startedAt: record.startedAt,
      requestedBy: record.requestedBy,
      nodes: jobsByNodeAndKind(record),
      problems: record.problems.slice(0, 200),
    });
  }
  return scans;
}

/**
 * Every node with an agent heartbeat, plus nodes that only have queued jobs: version, last heartbeat,
 * sensor, queued jobs and the runtime events of the catch-up window by severity.
 */
export async function nodeStatuses(
  agents: AgentDirectory,
  bus: Bus,
  active: readonly ActiveScan[],
  now = Date.now(),
): Promise<NodeStatus[]> {
  const nodes = new Map<string, NodeStatus>();
  const entry = (node: string): NodeStatus => {
    const status = nodes.get(node) ?? { node, online: false, queuedJobs: 0, events: {} };
    nodes.set(node, status);
    return status;
  };
  for (const beat of await agents.heartbeats()) {
    const status = entry(beat.node);
    status.agentVersion = beat.agentVersion;
    status.startedAt = beat.startedAt;
    status.lastSeen = beat.sentAt;
    status.online = Date.parse(beat.sentAt) >= now - agents.staleMs;
    if (beat.sensor) status.sensor = beat.sensor;
  }
  for (const scan of active)
    for (const [node, kinds] of Object.entries(scan.nodes))
      for (const c of Object.values(kinds))
        entry(node).queuedJobs += c.total - c.acked - c.failed - c.timedOut;
  for (const event of await bus.recentEvents(now - WATCH_CATCH_UP_MS, NODE_EVENTS_READ)) {
    const decoded = decodeMessage(FindingEvent, event.data, MAX_BUS_MESSAGE_BYTES);
    if (!decoded.ok) continue;
    const events = entry(decoded.value.node).events;
    const severity = decoded.value.finding.severity;
    events[severity] = (events[severity] ?? 0) + 1;
  }
  return [...nodes.values()].sort((a, b) => a.node.localeCompare(b.node));
}

export interface LatestFindings {
  scans: Array<{ scanId: string; target: string; finishedAt?: string }>;
  findings: Finding[];
}

/**
 * The findings screen's data: the newest stored report of each target (at most `limit` targets) the
 * caller may read, their findings merged by id (the id is the fingerprint, so two targets that cover the
 * same resource show it once, from the newer scan).
 */
export async function latestFindings(
  store: ObjectStore,
  mayRead: MayRead,
  limit: number,
): Promise<LatestFindings> {
  const latest = new Map<string, { scanId: string; target: string; finishedAt?: string }>();
  for (const summary of await listScans(store, SUMMARIES_SCANNED)) {
    if (latest.size >= limit) break;
    if (latest.has(summary.target)) continue; // listScans is newest first: the first seen is the latest
    if (!(await mayRead(targetNamespace(summary.target)))) continue;
    latest.set(summary.target, {
      scanId: summary.scanId,
      target: summary.target,
      ...(summary.finishedAt ? { finishedAt: summary.finishedAt } : {}),
    });
  }
  const byId = new Map<string, Finding>();
  const scans: LatestFindings['scans'] = [];
  // Oldest first, so a newer scan's copy of a finding replaces an older one.
  for (const scan of [...latest.values()].reverse()) {
    let report: Report | undefined;
    try {
      report = await readReport(store, scan.scanId);
    } catch {
      continue; // an invalid stored report is left out here; `results ID` names it
    }
    if (!report) continue;
    scans.unshift(scan);
    for (const finding of report.findings) if (finding.status === 'open') byId.set(finding.id, finding);
  }
  return { scans, findings: [...byId.values()] };
}
