import { z } from 'zod';
import { Sealed } from '../trust/sealed-box.js';
import { PROTOCOL_VERSION } from './limits.js';

const v = z.literal(PROTOCOL_VERSION);
const id = z.string().min(1).max(128);

/**
 * What an agent asks the aggregator for on `seco.tickets.<node>` (request/reply: the subject, which only that
 * node's NATS user may publish on, proves the node). Nothing in these answers ever sits on a stream.
 * - `job.ticket`: a job's go-ahead and its pull-secret credentials; refused for a job that is not this
 *   node's, not queued (a replay of a settled job), or past its tickets (one per allowed delivery).
 * - `object.grant`: a pre-signed URL for one method on one object, within what the job's kind needs
 *   (aggregator/object-grants.ts); without a job, only reads of stored SBOMs (runtime drift checks).
 */
export const TicketRequest = z.discriminatedUnion('type', [
  z.object({
    v,
    type: z.literal('job.ticket'),
    scanId: id,
    jobId: id,
    /** The agent's X25519 public key (SPKI DER, base64) the credentials are sealed to. */
    publicKey: z.string().min(1).max(128),
  }),
  z.object({
    v,
    type: z.literal('object.grant'),
    scanId: id.optional(),
    jobId: id.optional(),
    key: z.string().min(1).max(1024),
    method: z.enum(['GET', 'HEAD', 'PUT']),
  }),
]);
export type TicketRequest = z.infer<typeof TicketRequest>;

export const Ticket = z.object({
  v,
  type: z.literal('ticket'),
  /** Epoch ms after which the job's grants are refused. */
  expiresAt: z.number().int().nonnegative(),
  /**
   * Image jobs: the registry credentials of the pod's pull secrets for the job's registry (a JSON list of
   * RegistryCredential), sealed to the agent's key with `<scanId>/<jobId>` as context — not readable by a
   * bus subscriber, nor reusable for another job.
   */
  credentials: Sealed.optional(),
});
export type Ticket = z.infer<typeof Ticket>;

export const ObjectGrant = z.object({
  v,
  type: z.literal('grant'),
  url: z.string().url().max(4096),
  /** Epoch ms when the URL's signature expires. */
  expiresAt: z.number().int().nonnegative(),
});
export type ObjectGrant = z.infer<typeof ObjectGrant>;

/** The answer: a ticket or grant, or why there is none. */
export const TicketAnswer = z.union([
  z.object({ ok: z.literal(true), ticket: Ticket }),
  z.object({ ok: z.literal(true), grant: ObjectGrant }),
  z.object({ ok: z.literal(false), error: z.string().max(1024) }),
]);
export type TicketAnswer = z.infer<typeof TicketAnswer>;
