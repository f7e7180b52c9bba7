import { type Heartbeat, type Job, nodeToolsQueue, PROTOCOL_VERSION } from '../core/protocol/index.js';
import { jobFailureKey, jobResultKey } from '../core/store/scan-objects.js';
import { jobRecord } from './job-planner.js';
import { withPullCredentials } from './pull-credentials.js';
import type { ScanCoordinator } from './scan-coordinator.js';
import type { JobRecord, ScanRecord } from './scan-record.js';
import { failureMessage, storedProblems } from './scan-takeover.js';

export interface WatchdogOptions {
  /** How often an open scan's queued jobs are looked at (default 5 s). */
  everyMs?: number;
  /** Since when the aggregator's own bus connection is up (epoch ms): agents are judged only after a full window of it. */
  busUpSince?: () => number;
}

/** What the watchdog found in one look at a scan: for logs and tests. */
export interface WatchdogFindings {
  orphaned: string[];
  moved: string[];
  recovered: string[];
  /** Started jobs past their kind's deadline, timed out here (job-deadlines.ts). */
  overdue: string[];
}

/**
 * Looks after an open scan's queued jobs between their outcomes, so none waits for the scan deadline:
 * - an agent that stopped heartbeating (no beat for the directory's window while the aggregator itself was
 *   connected) loses its jobs: image jobs go to a node whose agent is alive (any agent can pull an image),
 *   host and runtime jobs — bound to their node — fail with "agent on node X stopped heartbeating";
 * - an outcome lost on the way (published while nats-server restarted) is found in the object store: the
 *   result or failure record the agent wrote before publishing is ingested as the outcome would have been.
 */
export class JobsWatchdog {
  private readonly lastLook = new Map<string, number>();
  private beats?: { at: number; beats: Promise<Heartbeat[]> };

  constructor(
    private readonly coordinator: ScanCoordinator,
    private readonly options: WatchdogOptions = {},
  ) {}

  /** From the scan's serial chain, on every tick; does its work at most once per `everyMs` per scan. */
  async review(record: ScanRecord): Promise<WatchdogFindings | undefined> {
    const c = this.coordinator;
    const now = c.now();
    if (record.status !== 'running' || !c.isMine(record)) return undefined;
    if (now - (this.lastLook.get(record.scanId) ?? 0) < (this.options.everyMs ?? 5000)) return undefined;
    this.lastLook.set(record.scanId, now);
    const queued = Object.entries(record.jobs).filter(([, job]) => job.state === 'queued');
    if (queued.length === 0) return undefined;
    const found: WatchdogFindings = { orphaned: [], moved: [], recovered: [], overdue: [] };
    found.recovered = await this.recoverLostOutcomes(record, queued);
    const recovered = new Set(found.recovered);
    const stillQueued = queued.filter(([id]) => !recovered.has(id));
    await this.orphans(record.scanId, stillQueued, found);
    const handled = new Set([...found.orphaned, ...found.moved]);
    found.overdue = await c.deadlines.enforce(
      record,
      stillQueued.filter(([id]) => !handled.has(id)),
    );
    return found;
  }

  /** Forgets a finished scan. */
  forget(scanId: string): void {
    this.lastLook.delete(scanId);
  }

  /** Job ids whose stored result or failure record was there without an outcome having arrived. */
  private async recoverLostOutcomes(
    record: ScanRecord,
    queued: ReadonlyArray<[string, JobRecord]>,
  ): Promise<string[]> {
    const c = this.coordinator;
    const stored = new Set<string>();
    // One listing per scan rather than a stat per job: a large scan has thousands of queued jobs.
    for await (const key of c.options.store.list(`scans/${record.scanId}/jobs/`)) stored.add(key);
    const recovered: string[] = [];
    for (const [jobId] of queued) {
      if (stored.has(jobResultKey(record.scanId, jobId))) {
        await c.ingest(record.scanId, jobId, {
          status: 'acked',
          problems: await storedProblems(c.options.store, record.scanId, jobId),
        });
      } else if (stored.has(jobFailureKey(record.scanId, jobId))) {
        const body = await c.options.store.get(jobFailureKey(record.scanId, jobId));
        await c.ingest(record.scanId, jobId, {
          status: 'failed',
          error: failureMessage(body ?? Buffer.alloc(0)),
        });
      } else continue;
      recovered.push(jobId);
      c.log(`scan ${record.scanId}: job ${jobId} settled from the object store (its outcome was lost)`);
    }
    return recovered;
  }

  /**
   * Heartbeats of agents and tools runners, read once per window for all scans. The review runs in the
   * scan's serial chain, where job outcomes queue too: the listing behind it is bounded by the bus
   * (core/bus/nats/kv-live-keys.ts), so a read that gets no answer fails this look and the next reads again.
   */
  private heartbeats(): Promise<Heartbeat[]> {
    const now = this.coordinator.now();
    const agents = this.coordinator.agents;
    if (!this.beats || now - this.beats.at >= (this.options.everyMs ?? 5000) / 2)
      this.beats = {
        at: now,
        beats: Promise.all([agents.heartbeats(), agents.toolRunners()]).then((both) => both.flat()),
      };
    return this.beats.beats;
  }

  private async orphans(
    scanId: string,
    queued: ReadonlyArray<[string, JobRecord]>,
    found: WatchdogFindings,
  ): Promise<void> {
    const c = this.coordinator;
    const now = c.now();
    const staleMs = c.agents.staleMs;
    // Not while the aggregator itself could not see the beats: after a NATS outage, agents get a window.
    const judgeFrom = Math.max(now - staleMs, this.options.busUpSince?.() ?? 0);
    if (now - judgeFrom < staleMs) return;
    const beats = await this.heartbeats();
    // By queue: an agent's is its node, a tools runner's the one it heartbeats (core/protocol/tool-queues.ts).
    const lastBeat = new Map<string, number>();
    for (const beat of beats) {
      const queue = beat.role === 'tools' && beat.queue ? beat.queue : beat.node;
      lastBeat.set(queue, Math.max(lastBeat.get(queue) ?? 0, Date.parse(beat.sentAt)));
    }
    const alive = (queue: string) => (lastBeat.get(queue) ?? 0) >= now - staleMs;
    const liveNodes = [
      ...new Set(beats.filter((b) => b.role !== 'tools' && alive(b.node)).map((b) => b.node)),
    ].sort();
    for (const [jobId, job] of queued) {
      const tools = job.kind === 'tools';
      if (alive(tools ? nodeToolsQueue(job.node) : job.node)) continue;
      const target = job.kind === 'image' ? pickNode(liveNodes, jobId) : undefined;
      if (target) {
        if (await this.move(scanId, jobId, job, target)) found.moved.push(jobId);
        continue;
      }
      const who = tools ? `tools runner for node ${job.node}` : `agent on node ${job.node}`;
      const error = `${who} stopped heartbeating (none for ${Math.round(staleMs / 1000)}s)`;
      const settled = await c.settleJob(scanId, jobId, 'failed', { error });
      if (!settled) continue;
      found.orphaned.push(jobId);
      await c.publishProgress(settled, `${job.kind} job on ${job.node}: failed, ${error}`);
      await c.finishIfSettled(settled);
    }
  }

  /** Hands an image job to `node`: the record says where it went (and whence), then it is queued there. */
  private async move(scanId: string, jobId: string, job: JobRecord, node: string): Promise<boolean> {
    const c = this.coordinator;
    if (job.kind !== 'image' || !job.image) return false;
    const moved: Job = {
      v: PROTOCOL_VERSION,
      kind: 'image',
      scanId,
      jobId,
      node,
      image: job.image,
      ...(job.digest ? { digest: job.digest } : {}),
      ...(job.pullSecrets?.length ? { pullSecrets: job.pullSecrets } : {}),
    };
    const credentialed = await withPullCredentials(c.options.kube, [
      { jobId, job: moved, record: jobRecord(moved, job.queuedAt) },
    ]);
    // A job's own key changes by compare-and-set on it (ScanStore.updateJob), never through the header.
    const updated = await c.store.updateJob(scanId, jobId, (current) =>
      current.state === 'queued' && current.node === job.node
        ? { ...withoutStart(current), node, movedFrom: job.node, queuedAt: c.now() }
        : undefined,
    );
    if (!updated?.changed) return false;
    await c.queueJob(credentialed.planned[0]?.job ?? moved);
    c.log(`scan ${scanId}: image job ${jobId} moved from ${job.node} (no heartbeat) to ${node}`);
    await c.publishProgress(
      updated.record,
      `image job moved from ${job.node} (agent stopped heartbeating) to ${node}`,
    );
    return true;
  }
}

/** A moved job has not started on its new node: its deadline is timed from that agent's start. */
function withoutStart(job: JobRecord): JobRecord {
  const { startedAt: _at, startedDeadlineMs: _deadline, ...rest } = job;
  return rest;
}

/** A live node for a moved job: spread by job id, the same answer for the same job. */
function pickNode(live: readonly string[], jobId: string): string | undefined {
  if (live.length === 0) return undefined;
  let hash = 0;
  for (const ch of jobId) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return live[hash % live.length];
}
