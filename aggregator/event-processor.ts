import type { EventConsumer, ReceivedEvent } from '../core/bus/bus.js';
import {
  type ClusterEvent,
  type FeedbackJob,
  feedbackForEvent,
  feedbackForFinding,
} from '../core/feedback/feedback.js';
import type { FeedbackRule } from '../core/feedback/feedback-rules.js';
import type { Finding } from '../core/model/index.js';
import {
  contentEventId,
  decodeMessage,
  FindingEvent,
  MAX_BUS_MESSAGE_BYTES,
} from '../core/protocol/index.js';
import { encodeFindings } from '../core/store/scan-objects.js';
import { feedbackScanId, startFeedbackScan } from './feedback-scans.js';
import type { LeaderLease } from './leader-lease.js';
import type { ScanCoordinator } from './scan-coordinator.js';

/** The same job asked again within this window (a noisy rule, a crash-looping pod) is not queued again. */
const FEEDBACK_QUIET_MS = 10 * 60_000;

/** The aggregators' durable consumer of the event stream: its name is shared by every replica. */
export const EVENTS_CONSUMER = 'seco-aggregator-events';

/**
 * Runtime events (agents' detections, Falco alerts) from the event stream's durable consumer: each event
 * goes to one replica, which stores it (`events/<yyyy>/<mm>/<dd>/<eventId>.ndjson.gz`) and runs it through
 * the feedback rules, which may start a scan — and only then acks it. Events published while no aggregator
 * is up wait in the stream; one redelivered after a crash overwrites its own object and finds its feedback
 * scan already started (the scan's id comes from the event's), so it is stored and acted on once.
 */
export class EventProcessor {
  private readonly lastAsked = new Map<string, number>();
  private consumer?: EventConsumer;

  constructor(
    private readonly c: ScanCoordinator,
    private readonly rules: readonly FeedbackRule[],
    private readonly leader: LeaderLease,
  ) {}

  async start(): Promise<void> {
    this.consumer = await this.c.options.bus.consumeEvents(EVENTS_CONSUMER, (event) => this.onEvent(event), {
      onError: (error) => this.c.log(`runtime event not processed yet: ${(error as Error).message}`),
    });
  }

  /** Stops taking events; the one in hand is finished (or left unacked, to be redelivered). */
  async close(): Promise<void> {
    await this.consumer?.stop();
  }

  /** Throws to have the event delivered again (the object store or the KV is away). */
  private async onEvent(event: ReceivedEvent): Promise<void> {
    const decoded = decodeMessage(FindingEvent, event.data, MAX_BUS_MESSAGE_BYTES);
    if (!decoded.ok) {
      this.c.log(`refused event on ${event.subject}: ${decoded.error}`); // acked: it will never become valid
      return;
    }
    const eventId = decoded.value.eventId ?? contentEventId(event.data);
    await this.onFinding(eventId, decoded.value.finding);
  }

  async onFinding(eventId: string, finding: Finding): Promise<void> {
    const at = eventTime(finding, this.c.now());
    const day = new Date(at).toISOString().slice(0, 10).replace(/-/g, '/');
    await this.c.options.store.put(`events/${day}/${eventId}.ndjson.gz`, encodeFindings([finding]), {
      contentType: 'application/x-ndjson',
    });
    await this.act(
      feedbackForFinding(this.rules, finding),
      { finding, description: `${finding.ruleId} on ${describe(finding)}` },
      feedbackScanId(eventId, at),
    );
  }

  /** Cluster events the aggregator itself notices (a new image digest): the leading replica's. */
  async onClusterEvent(event: ClusterEvent): Promise<void> {
    if (!this.leader.isLeader) return;
    await this.act(feedbackForEvent(this.rules, event), {
      description: `${event.type}${event.image ? ` ${event.image}` : ''}`,
    }).catch((error) => this.c.log(`feedback scan not started: ${(error as Error).message}`));
  }

  /** Starts the feedback scan; the quiet window counts only once it started, so a failed start is retried. */
  private async act(
    asked: FeedbackJob[],
    cause: { finding?: Finding; description: string },
    scanId?: string,
  ): Promise<void> {
    const now = this.c.now();
    const keyOf = (job: FeedbackJob) => `${job.kind}|${job.node ?? ''}|${job.image ?? ''}`;
    const fresh = asked.filter(
      (job) => now - (this.lastAsked.get(keyOf(job)) ?? -Infinity) >= FEEDBACK_QUIET_MS,
    );
    if (fresh.length === 0) return;
    await startFeedbackScan(this.c, fresh, { rule: fresh[0]!.rule, ...cause }, scanId);
    for (const job of fresh) this.lastAsked.set(keyOf(job), now);
  }
}

/** When the event happened, as its finding says: the same on every delivery, so its object key is too. */
function eventTime(finding: Finding, fallback: number): number {
  const at = Date.parse(finding.lastSeen ?? finding.firstSeen ?? '');
  return Number.isFinite(at) ? at : fallback;
}

function describe(finding: Finding): string {
  const r = finding.resource;
  return [r.namespace, r.name].filter(Boolean).join('/') || r.node || 'the cluster';
}
