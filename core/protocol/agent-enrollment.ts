import { z } from 'zod';
import { PROTOCOL_VERSION } from './limits.js';

const v = z.literal(PROTOCOL_VERSION);

/** The audience an agent's projected service-account token is made for (and TokenReview checks). */
export const AGENT_TOKEN_AUDIENCE = 'seco-aggregator';

/**
 * An agent asking for its NATS user on `seco.enroll`: its node, the public nkey it generated (the seed never
 * leaves it), and its pod's projected service-account token, which the aggregator checks with a TokenReview
 * and which names the pod, hence the node, it is bound to.
 */
export const EnrollRequest = z.object({
  v,
  type: z.literal('agent.enroll'),
  node: z.string().min(1).max(253),
  publicKey: z.string().regex(/^U[A-Z2-7]{55}$/),
  token: z
    .string()
    .min(1)
    .max(16 * 1024),
});
export type EnrollRequest = z.infer<typeof EnrollRequest>;

export const EnrollAnswer = z.union([
  z.object({
    ok: z.literal(true),
    jwt: z
      .string()
      .min(1)
      .max(16 * 1024),
    expiresAt: z.number().int(),
  }),
  z.object({ ok: z.literal(false), error: z.string().max(1024) }),
]);
export type EnrollAnswer = z.infer<typeof EnrollAnswer>;
