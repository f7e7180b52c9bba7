import { z } from 'zod';
import type { Bus } from '../core/bus/bus.js';
import { ticketSubject } from '../core/bus/nats/nats-permissions.js';
import {
  decodeMessage,
  type Job,
  PROTOCOL_VERSION,
  RegistryCredential,
  TicketAnswer,
  type TicketRequest,
} from '../core/protocol/index.js';
import type { PresignMethod } from '../core/store/object-store.js';
import { PresignedObjectStore } from '../core/store/presigned/presigned-object-store.js';
import { createSealingKeys, open } from '../core/trust/sealed-box.js';

/** The aggregator said no (job unknown, not this node's, settled, out of tickets): the job must not run. */
export class TicketRefusedError extends Error {
  override name = 'TicketRefusedError';
}

const MAX_ANSWER_BYTES = 64 * 1024;

/** A job's go-ahead as the agent uses it: the credentials opened. */
export interface OpenedTicket {
  expiresAt: number;
  credentials?: RegistryCredential[];
}

/**
 * The agent's side of tickets (core/protocol/job-ticket.ts): asks on its own node's subject, so the answer
 * comes to its own inbox and nowhere else. A request that goes unanswered (no aggregator up) throws a
 * plain error — the job is given back and tried later; a refusal throws TicketRefusedError.
 */
export class TicketClient {
  /** This process's sealing keys: the private half never leaves memory. */
  private readonly keys = createSealingKeys();

  constructor(
    private readonly bus: Bus,
    private readonly node: string,
    private readonly options: { tlsCa?: string; timeoutMs?: number } = {},
  ) {}

  private async ask(request: TicketRequest): Promise<TicketAnswer> {
    const raw = await this.bus.request(
      ticketSubject(this.node),
      Buffer.from(JSON.stringify(request)),
      this.options.timeoutMs ?? 10_000,
    );
    const decoded = decodeMessage(TicketAnswer, raw, MAX_ANSWER_BYTES);
    if (!decoded.ok) throw new Error(`unreadable ticket answer: ${decoded.error}`);
    return decoded.value;
  }

  async ticket(job: Pick<Job, 'scanId' | 'jobId'>): Promise<OpenedTicket> {
    const answer = await this.ask({
      v: PROTOCOL_VERSION,
      type: 'job.ticket',
      scanId: job.scanId,
      jobId: job.jobId,
      publicKey: this.keys.publicKey,
    });
    if (!answer.ok) throw new TicketRefusedError(answer.error);
    if (!('ticket' in answer))
      throw new Error('the aggregator answered a ticket request with something else');
    const { expiresAt, credentials } = answer.ticket;
    if (!credentials) return { expiresAt };
    const opened = z
      .array(RegistryCredential)
      .max(4)
      .safeParse(JSON.parse(open(this.keys, credentials, `${job.scanId}/${job.jobId}`)));
    if (!opened.success)
      throw new Error(`job ${job.jobId}: the sealed credentials are not a credential list`);
    return { expiresAt, credentials: opened.data };
  }

  /** A store of the objects the aggregator grants this job (or, with no job, SBOM reads only). */
  store(job?: Pick<Job, 'scanId' | 'jobId'>): PresignedObjectStore {
    return new PresignedObjectStore(
      async (key: string, method: PresignMethod) => {
        const answer = await this.ask({
          v: PROTOCOL_VERSION,
          type: 'object.grant',
          ...(job ? { scanId: job.scanId, jobId: job.jobId } : {}),
          key,
          method,
        });
        if (!answer.ok) throw new TicketRefusedError(`${method} ${key}: ${answer.error}`);
        if (!('grant' in answer))
          throw new Error('the aggregator answered a grant request with something else');
        return answer.grant;
      },
      this.options.tlsCa ? { tlsCa: this.options.tlsCa } : {},
    );
  }
}
