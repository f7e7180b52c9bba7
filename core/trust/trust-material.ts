import { aggregatorPermissions } from '../bus/nats/nats-permissions.js';
import { createNatsTrust, type NatsTrust } from '../bus/nats/nats-trust.js';
import { mintUserCreds } from '../bus/nats/nats-user.js';
import {
  alternativeNames,
  issueCertificate,
  type KeyPairPem,
  newCertificateAuthority,
} from '../tls/forge-certificate.js';

/** The names each server is reached by: every one goes into its certificate's subjectAltName. */
export interface TrustHosts {
  nats: readonly string[];
  aggregator: readonly string[];
  minio: readonly string[];
}

/**
 * Everything secret or trusted one installation needs, made together at install (and anew on every
 * re-install, which is the rotation): a CA, a serving certificate per server seco runs (NATS, the
 * aggregator's agent endpoint, Minio), the NATS operator/accounts and the aggregator's own NATS user.
 * Agents get no file from here in a cluster: each enrolls with the aggregator for a short-lived user.
 */
export interface TrustMaterial {
  ca: KeyPairPem;
  nats: KeyPairPem;
  aggregator: KeyPairPem;
  minio: KeyPairPem;
  natsTrust: NatsTrust;
  /** The aggregator's NATS `.creds`: every subject of the SECO account, no expiry (rotated by re-install). */
  aggregatorCreds: string;
}

export async function makeTrustMaterial(hosts: TrustHosts, now = new Date()): Promise<TrustMaterial> {
  const ca = newCertificateAuthority(`seco CA ${now.toISOString().slice(0, 10)}`, 3650, now);
  // Leaves live 825 days (the CA/Browser Forum's old ceiling); a re-install makes new ones.
  const serving = (commonName: string, names: readonly string[]) =>
    issueCertificate({ commonName, usage: 'server', ...alternativeNames(names), days: 825, now }, ca);
  const nats = serving('seco-nats', hosts.nats);
  const aggregator = serving('seco-aggregator', hosts.aggregator);
  const minio = serving('seco-minio', hosts.minio);
  const natsTrust = await createNatsTrust();
  const aggregatorCreds = await mintUserCreds(natsTrust, {
    name: 'aggregator',
    permissions: aggregatorPermissions(),
  });
  return { ca, nats, aggregator, minio, natsTrust, aggregatorCreds };
}
