import { aggregatorPermissions } from '../bus/nats/nats-permissions.js';
import { createNatsTrust, type NatsTrust } from '../bus/nats/nats-trust.js';
import { mintUserCreds } from '../bus/nats/nats-user.js';
import { type CertificateAndKey, createCertificateAuthority } from '../tls/certificate-authority.js';
import { issueCertificate } from '../tls/issue-certificate.js';

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
  ca: CertificateAndKey;
  nats: CertificateAndKey;
  aggregator: CertificateAndKey;
  minio: CertificateAndKey;
  natsTrust: NatsTrust;
  /** The aggregator's NATS `.creds`: every subject of the SECO account, no expiry (rotated by re-install). */
  aggregatorCreds: string;
}

export async function makeTrustMaterial(hosts: TrustHosts, now = new Date()): Promise<TrustMaterial> {
  const ca = await createCertificateAuthority(`seco CA ${now.toISOString().slice(0, 10)}`, 3650, now);
  const serving = (commonName: string, names: readonly string[]) =>
    issueCertificate(ca, { commonName, hosts: names, usages: ['server'], now });
  const [nats, aggregator, minio, natsTrust] = await Promise.all([
    serving('seco-nats', hosts.nats),
    serving('seco-aggregator', hosts.aggregator),
    serving('seco-minio', hosts.minio),
    createNatsTrust(),
  ]);
  const aggregatorCreds = await mintUserCreds(natsTrust, {
    name: 'aggregator',
    permissions: aggregatorPermissions(),
  });
  return { ca, nats, aggregator, minio, natsTrust, aggregatorCreds };
}
