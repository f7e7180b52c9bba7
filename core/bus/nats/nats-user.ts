import { createUser, encodeUser, fmtCreds, fromPublic, type KeyPair, type Permissions } from '@nats-io/jwt';
import { type NatsTrust, signingKey } from './nats-trust.js';

export interface UserGrant {
  /** Shown in the server's connection list and logs: `aggregator`, `agent:<node>`. */
  name: string;
  permissions: Permissions;
  /** Seconds the JWT is valid; the server disconnects the user when it expires. Unset: no expiry. */
  ttlSeconds?: number;
  now?: Date;
}

/** A user JWT for a public nkey the caller holds the seed of (an agent's own key, registered at start). */
export async function mintUserJwt(
  trust: Pick<NatsTrust, 'account' | 'signingSeed'>,
  userPublicKey: string,
  grant: UserGrant,
): Promise<string> {
  if (!/^U[A-Z2-7]{55}$/.test(userPublicKey))
    throw new Error(`not a NATS user public key: ${JSON.stringify(userPublicKey.slice(0, 60))}`);
  const nowSeconds = Math.floor((grant.now ?? new Date()).getTime() / 1000);
  return encodeUser(
    grant.name,
    fromPublic(userPublicKey),
    trust.account,
    {
      ...grant.permissions,
      subs: -1,
      data: -1,
      payload: -1,
      // No bearer tokens: the holder must also prove it has the user's seed.
      bearer_token: false,
    },
    {
      signer: signingKey(trust),
      ...(grant.ttlSeconds ? { exp: nowSeconds + grant.ttlSeconds } : {}),
    },
  );
}

/** A `.creds` file (JWT and seed, the format `nats` tools and the clients read) for a new user key. */
export async function mintUserCreds(
  trust: Pick<NatsTrust, 'account' | 'signingSeed'>,
  grant: UserGrant,
): Promise<string> {
  const user: KeyPair = createUser();
  const jwt = await mintUserJwt(trust, user.getPublicKey(), grant);
  return new TextDecoder().decode(fmtCreds(jwt, user));
}
