import {
  type ClusterEvent,
  type FeedbackJob,
  feedbackForEvent,
  feedbackForFinding,
} from '../core/feedback/feedback.js';
import type { FeedbackRule } from '../core/feedback/feedback-rules.js';
import type { Finding } from '../core/model/index.js';
import { decodeMessage, FindingEvent, MAX_BUS_MESSAGE_BYTES } from '../core/protocol/index.js';
import { encodeFindings } from '../core/store/scan-objects.js';
import { startFeedbackScan } from './feedback-scans.js';
import type { LeaderLease } from './leader-lease.js';
import type { ScanCoordinator } from './scan-coordinator.js';

/** The same job asked again within this window (a noisy rule, a crash-looping pod) is not queued again. */
const FEEDBACK_QUIET_MS = 10 * 60_000;
const FLUSH_MS = 2000;
const MAX_BUFFERED = 5000;

/**
 * Runtime events (agents' detections, Falco alerts) as the leading replica sees them: stored in the
 * object store in batches (`events/<yyyy>/<mm>/<dd>/…ndjson.gz`), and run through the feedback rules,
 * which may start scans. Every replica forwards events to its own `watch` clients on its own.
 */
export class EventProcessor {
  private buffer: Finding[] = [];
  private dropped = 0;
  private readonly lastAsked = new Map<string, number>();
  private stop?: () => void;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly c: ScanCoordinator,
    private readonly rules: readonly FeedbackRule[],
    private readonly leader: LeaderLease,
  ) {}

  async start(): Promise<void> {
    this.stop = await this.c.options.bus.subscribe('seco.events.>', (_subject, data) => {
      const decoded = decodeMessage(FindingEvent, data, MAX_BUS_MESSAGE_BYTES);
      if (decoded.ok) void this.onFinding(decoded.value.finding);
      else this.c.log(`refused event: ${decoded.error}`);
    });
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
  }

  async close(): Promise<void> {
    this.stop?.();
    if (this.timer) clearInterval(this.timer);
    await this.flush();
  }

  async onFinding(finding: Finding): Promise<void> {
    if (!this.leader.isLeader) return;
    if (this.buffer.length < MAX_BUFFERED) this.buffer.push(finding);
    else this.dropped++;
    await this.act(feedbackForFinding(this.rules, finding), {
      finding,
      description: `${finding.ruleId} on ${describe(finding)}`,
    });
  }

  /** Cluster events the aggregator itself notices (a new image digest). */
  async onClusterEvent(event: ClusterEvent): Promise<void> {
    if (!this.leader.isLeader) return;
    await this.act(feedbackForEvent(this.rules, event), {
      description: `${event.type}${event.image ? ` ${event.image}` : ''}`,
    });
  }

  private async act(asked: FeedbackJob[], cause: { finding?: Finding; description: string }): Promise<void> {
    const now = this.c.now();
    const fresh = asked.filter((job) => {
      const key = `${job.kind}|${job.node ?? ''}|${job.image ?? ''}`;
      if (now - (this.lastAsked.get(key) ?? -Infinity) < FEEDBACK_QUIET_MS) return false;
      this.lastAsked.set(key, now);
      return true;
    });
    if (fresh.length === 0) return;
    await startFeedbackScan(this.c, fresh, { rule: fresh[0]!.rule, ...cause }).catch((error) =>
      this.c.log(`feedback scan not started: ${(error as Error).message}`),
    );
  }

  private async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const batch = this.buffer;
    this.buffer = [];
    const at = new Date(this.c.now());
    const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
    const key = `events/${day}/${at.getTime()}-${this.c.options.replicaId}.ndjson.gz`;
    await this.c.options.store
      .put(key, encodeFindings(batch), { contentType: 'application/x-ndjson' })
      .catch((error) => {
        this.c.log(`${batch.length} runtime event(s) not stored: ${(error as Error).message}`);
      });
    if (this.dropped > 0) {
      this.c.log(`${this.dropped} runtime event(s) over the buffer limit were not stored`);
      this.dropped = 0;
    }
  }
}

function describe(finding: Finding): string {
  const r = finding.resource;
  return [r.namespace, r.name].filter(Boolean).join('/') || r.node || 'the cluster';
}
