import { z } from 'zod';
import { InputProblem } from '../model/index.js';
import { PROTOCOL_VERSION } from './limits.js';

/**
 * What the watch screen asks the aggregator besides runtime events: the scans in flight with their
 * jobs per node and kind, the agents behind the nodes, and the findings of the cluster's latest scans.
 * All are requests with a `requestId`, answered once; the screen polls them. Added in protocol v1 as
 * new message types, so an older aggregator answers them with `bad-request` and an older client never
 * sends them.
 */

const v = z.literal(PROTOCOL_VERSION);
const requestId = z.string().min(1).max(64);
const count = z.number().int().nonnegative();

// plugin → aggregator

/** The scans not yet done (resolving, running, finishing), newest first. */
export const ScansActive = z.object({ v, type: z.literal('scans.active'), requestId });
/** Every agent with a heartbeat, and what each node has in flight and has seen. */
export const NodesList = z.object({ v, type: z.literal('nodes.list'), requestId });
/**
 * Findings of the latest stored scan of each target (at most `scans` targets, newest first): sent in
 * `findings` batches with this requestId, closed by `findings.latest.done`.
 */
export const FindingsLatest = z.object({
  v,
  type: z.literal('findings.latest'),
  requestId,
  scans: z.number().int().positive().max(500).optional(),
});

// aggregator → plugin

/** Jobs of one kind on one node. */
export const KindCounts = z.object({
  total: count,
  acked: count,
  failed: count,
  timedOut: count,
});
export type KindCounts = z.infer<typeof KindCounts>;

export const ActiveScan = z.object({
  scanId: z.string().max(128),
  target: z.string().max(2048),
  status: z.enum(['resolving', 'running', 'finishing', 'done', 'failed']),
  startedAt: z.string().max(64),
  requestedBy: z.string().max(512).optional(),
  /** node → job kind (`host`, `image`, `runtime`) → counts. */
  nodes: z.record(z.string().max(253), z.record(z.string().max(16), KindCounts)),
  problems: z.array(InputProblem).max(200),
});
export type ActiveScan = z.infer<typeof ActiveScan>;

export const ScansActiveListing = z.object({
  v,
  type: z.literal('scans.active'),
  requestId: z.string(),
  scans: z.array(ActiveScan).max(1000),
});

export const NodeStatus = z.object({
  node: z.string().min(1).max(253),
  agentVersion: z.string().max(64).optional(),
  startedAt: z.string().max(64).optional(),
  lastSeen: z.string().max(64).optional(),
  /** A heartbeat within the aggregator's stale window. */
  online: z.boolean(),
  /** Where the node's runtime events come from (`ebpf`, `netlink`, `poll`), `off`, or unknown. */
  sensor: z.string().max(32).optional(),
  /** Jobs of scans in flight that are queued on this node. */
  queuedJobs: count,
  /** Runtime events from this node in the event stream's catch-up window, per severity. */
  events: z.record(z.string().max(16), count),
});
export type NodeStatus = z.infer<typeof NodeStatus>;

export const NodesListing = z.object({
  v,
  type: z.literal('nodes.list'),
  requestId: z.string(),
  nodes: z.array(NodeStatus).max(100_000),
});

/** Closes a `findings.latest`: which scans the findings came from. */
export const FindingsLatestDone = z.object({
  v,
  type: z.literal('findings.latest.done'),
  requestId: z.string(),
  scans: z
    .array(
      z.object({
        scanId: z.string().max(128),
        target: z.string().max(2048),
        finishedAt: z.string().max(64).optional(),
      }),
    )
    .max(500),
  findingCount: count,
});
