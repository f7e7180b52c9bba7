import type { Bus } from '../core/bus/bus.js';
import { ticketSubject } from '../core/bus/nats/nats-permissions.js';
import { nodeFromToken } from '../core/bus/node-name.js';
import type { KubeView } from '../core/kube/kube-view.js';
import { decodeMessage, PROTOCOL_VERSION, type TicketAnswer, TicketRequest } from '../core/protocol/index.js';
import type { ObjectStore } from '../core/store/object-store.js';
import { seal } from '../core/trust/sealed-box.js';
import { type GrantedJob, refusedGrant } from './object-grants.js';
import { imageJobCredentials } from './pull-credentials.js';
import type { JobRecord } from './scan-record.js';
import type { ScanStore } from './scan-store.js';

const TICKETS_PREFIX = ticketSubject('x').slice(0, -1);
const MAX_REQUEST_BYTES = 4096;

export interface JobTicketsOptions {
  bus: Bus;
  scans: () => ScanStore;
  store: ObjectStore;
  kube: KubeView;
  /** Tickets one job may get: one per delivery the queue allows (its max deliveries). */
  maxTickets: number;
  /** How long a ticket, and each pre-signed URL, is good for (default 15 min: an image job's deadline). */
  ttlMs?: number;
  now?: () => number;
  log?: (line: string) => void;
}

class Refused extends Error {}

/**
 * The aggregator's side of agents' tickets (core/protocol/job-ticket.ts), answered on `seco.tickets.*` by
 * whichever replica gets the request. The node is the subject's, which nats-server lets only that node's
 * agent publish on; a job is served only to its own node, only while it is queued, and only as many times
 * as it may be delivered — a replayed or settled job gets nothing, so it can neither pull with the pod's
 * credentials nor write a result.
 */
export class JobTickets {
  private stop?: () => void;

  constructor(private readonly options: JobTicketsOptions) {}

  async start(): Promise<void> {
    this.stop = await this.options.bus.serve(`${TICKETS_PREFIX}*`, (subject, data) =>
      this.answer(nodeFromToken(subject.slice(TICKETS_PREFIX.length)), data).then((answer) =>
        Buffer.from(JSON.stringify(answer)),
      ),
    );
  }

  close(): void {
    this.stop?.();
  }

  private get ttlMs(): number {
    return this.options.ttlMs ?? 15 * 60_000;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async answer(node: string, data: Uint8Array): Promise<TicketAnswer> {
    const decoded = decodeMessage(TicketRequest, data, MAX_REQUEST_BYTES);
    if (!decoded.ok) return { ok: false, error: `ticket request refused: ${decoded.error}` };
    const request = decoded.value;
    try {
      if (request.type === 'job.ticket')
        return await this.ticket(node, request.scanId, request.jobId, request.publicKey);
      const job =
        request.scanId && request.jobId
          ? await this.queuedJob(node, request.scanId, request.jobId, true)
          : undefined;
      const granted: GrantedJob | undefined = job && {
        scanId: request.scanId!,
        jobId: request.jobId!,
        kind: job.kind,
      };
      const refused = refusedGrant(request.key, request.method, granted);
      if (refused) throw new Refused(refused);
      const store = this.options.store;
      if (!store.presign) throw new Refused('the aggregator’s object store signs no URLs');
      const seconds = Math.floor(this.ttlMs / 1000);
      const url = await store.presign(request.method, request.key, seconds);
      return {
        ok: true,
        grant: { v: PROTOCOL_VERSION, type: 'grant', url, expiresAt: this.now() + seconds * 1000 },
      };
    } catch (error) {
      const message = (error as Error).message;
      if (error instanceof Refused) this.options.log?.(`refused node ${node}: ${message}`);
      return { ok: false, error: message.slice(0, 1024) };
    }
  }

  /** The job, when it is `node`'s and still queued; with `ticketed`, only once its agent holds a ticket. */
  private async queuedJob(node: string, scanId: string, jobId: string, ticketed = false): Promise<JobRecord> {
    const record = await this.options.scans().get(scanId);
    const job = record?.jobs[jobId];
    if (!job) throw new Refused(`job ${jobId} of scan ${scanId} is unknown`);
    if (job.node !== node) throw new Refused(`job ${jobId} belongs to node ${job.node}, not ${node}`);
    if (job.state !== 'queued') throw new Refused(`job ${jobId} is already ${job.state} (a replayed job?)`);
    if (ticketed && !job.tickets) throw new Refused(`job ${jobId} has no ticket yet`);
    return job;
  }

  private async ticket(
    node: string,
    scanId: string,
    jobId: string,
    publicKey: string,
  ): Promise<TicketAnswer> {
    await this.queuedJob(node, scanId, jobId);
    let refusal: string | undefined;
    const update = await this.options.scans().updateJob(scanId, jobId, (job) => {
      if (job.state !== 'queued') refusal = `job ${jobId} is already ${job.state}`;
      else if ((job.tickets ?? 0) >= this.options.maxTickets)
        refusal = `job ${jobId} had its ${this.options.maxTickets} tickets`;
      return refusal ? undefined : { ...job, tickets: (job.tickets ?? 0) + 1 };
    });
    if (refusal || !update?.changed) throw new Refused(refusal ?? `job ${jobId} could not be ticketed`);
    const job = update.record.jobs[jobId]!;
    const credentials =
      // Whoever pulls the job's image: the agent (image job) or the node's tools runner (image tools).
      job.image && job.pullSecrets?.length
        ? await imageJobCredentials(this.options.kube, { image: job.image, pullSecrets: job.pullSecrets })
        : [];
    return {
      ok: true,
      ticket: {
        v: PROTOCOL_VERSION,
        type: 'ticket',
        expiresAt: this.now() + this.ttlMs,
        // Sealed to the asking agent's key for this job alone: nothing on the bus carries them in clear.
        ...(credentials.length > 0
          ? { credentials: seal(publicKey, JSON.stringify(credentials), `${scanId}/${jobId}`) }
          : {}),
      },
    };
  }
}
