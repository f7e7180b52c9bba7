import {
  createAccount,
  createOperator,
  encodeAccount,
  encodeOperator,
  fromSeed,
  type KeyPair,
} from '@nats-io/jwt';
import { z } from 'zod';

/**
 * The decentralized-auth roots of one installation (docs.nats.io "JWT authentication"): an operator, the
 * system account nats-server needs, and the `SECO` account every component lives in. The account's JWT
 * names a separate signing key: the aggregator holds that key's seed to mint users (the agents' per-node
 * users included) and nothing that could re-sign the account. Made at install, re-made on re-install.
 */
export const NatsTrust = z.object({
  operatorJwt: z.string().min(1),
  systemAccount: z.string().regex(/^A[A-Z2-7]{55}$/),
  systemAccountJwt: z.string().min(1),
  account: z.string().regex(/^A[A-Z2-7]{55}$/),
  accountJwt: z.string().min(1),
  /** The account signing key's seed: secret, held by the aggregator (and by the install that made it). */
  signingSeed: z.string().regex(/^SA[A-Z2-7]{56}$/),
});
export type NatsTrust = z.infer<typeof NatsTrust>;

const UNLIMITED = {
  subs: -1,
  data: -1,
  payload: -1,
  imports: -1,
  exports: -1,
  wildcards: true,
  conn: -1,
  leaf: -1,
};

// JetStream is on for an account when its JWT grants storage (nats-server 2.9: jetstream limits in the
// account claim); -1 is unlimited — the server's own store limits still apply.
const JETSTREAM = {
  mem_storage: -1,
  disk_storage: -1,
  streams: -1,
  consumer: -1,
  max_ack_pending: -1,
  mem_max_stream_bytes: -1,
  disk_max_stream_bytes: -1,
  max_bytes_required: false,
};

export async function createNatsTrust(): Promise<NatsTrust> {
  const operator = createOperator();
  const system = createAccount();
  const account = createAccount();
  const signing = createAccount();
  const seedOf = (key: KeyPair) => new TextDecoder().decode(key.getSeed());
  const operatorJwt = await encodeOperator('seco', operator, {
    system_account: system.getPublicKey(),
  });
  const systemAccountJwt = await encodeAccount(
    'SYS',
    system,
    { limits: { ...UNLIMITED } },
    { signer: operator },
  );
  const accountJwt = await encodeAccount(
    'SECO',
    account,
    {
      limits: { ...UNLIMITED, ...JETSTREAM },
      signing_keys: [signing.getPublicKey()],
      // A user JWT with no permissions of its own gets these: nothing.
      default_permissions: { pub: { deny: ['>'] }, sub: { deny: ['>'] } },
    },
    { signer: operator },
  );
  return {
    operatorJwt,
    systemAccount: system.getPublicKey(),
    systemAccountJwt,
    account: account.getPublicKey(),
    accountJwt,
    signingSeed: seedOf(signing),
  };
}

/** The signing key pair from a trust's seed. */
export function signingKey(trust: Pick<NatsTrust, 'signingSeed'>): KeyPair {
  return fromSeed(new TextEncoder().encode(trust.signingSeed));
}
