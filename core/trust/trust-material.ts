import { aggregatorPermissions, enrollPermissions } from '../bus/nats/nats-permissions.js';
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
 * The bus's keys: the NATS operator/accounts (with the account signing key) and the users made from them.
 * A re-install keeps these (SECURITY.md, "Rotation"): JetStream keeps its streams under the account's public
 * key, and every user already issued — enrolled agents included — stays valid. New ones only on request
 * (`kubectl seco install --rotate-bus-keys`).
 */
export interface BusKeys {
  natsTrust: NatsTrust;
  /** The aggregator's NATS `.creds`: every subject of the SECO account, no expiry. */
  aggregatorCreds: string;
  /** The bootstrap user agents enroll with: it may only ask the aggregator for the node's own user. */
  enrollCreds: string;
}

/** The certificates: a CA and a serving certificate per server seco runs, all made anew on every install. */
export interface TrustCertificates {
  ca: KeyPairPem;
  nats: KeyPairPem;
  aggregator: KeyPairPem;
  minio: KeyPairPem;
}

/**
 * Everything secret or trusted one installation needs (the local stack's script and `kubectl seco install`
 * both make it here): the bus's keys, kept or new, and certificates, always new — which is the rotation.
 */
export interface TrustMaterial extends BusKeys, TrustCertificates {}

export async function makeBusKeys(): Promise<BusKeys> {
  const natsTrust = await createNatsTrust();
  const [aggregatorCreds, enrollCreds] = await Promise.all([
    mintUserCreds(natsTrust, { name: 'aggregator', permissions: aggregatorPermissions() }),
    mintUserCreds(natsTrust, { name: 'enroll', permissions: enrollPermissions() }),
  ]);
  return { natsTrust, aggregatorCreds, enrollCreds };
}

export async function makeCertificates(hosts: TrustHosts, now = new Date()): Promise<TrustCertificates> {
  const ca = newCertificateAuthority(`seco CA ${now.toISOString().slice(0, 10)}`, 3650, now);
  // Leaves live 825 days (the CA/Browser Forum's old ceiling); a re-install makes new ones.
  const serving = (commonName: string, names: readonly string[]) =>
    issueCertificate({ commonName, usage: 'server', ...alternativeNames(names), days: 825, now }, ca);
  return {
    ca,
    nats: serving('seco-nats', hosts.nats),
    aggregator: serving('seco-aggregator', hosts.aggregator),
    minio: serving('seco-minio', hosts.minio),
  };
}

/** New certificates, with `keep`'s bus keys when given (a re-install), else new ones too. */
export async function makeTrustMaterial(
  hosts: TrustHosts,
  options: { keep?: BusKeys; now?: Date } = {},
): Promise<TrustMaterial> {
  const [keys, certificates] = await Promise.all([
    options.keep ?? makeBusKeys(),
    makeCertificates(hosts, options.now),
  ]);
  return { ...keys, ...certificates };
}
