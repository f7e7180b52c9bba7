import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import forge from 'node-forge';

/**
 * Every X.509 certificate seco makes itself comes from here, synchronously: CAs (the aggregated API's
 * serving CA at install, the install's trust CA for NATS/Minio/the aggregator, the test harness's
 * requestheader CA) and the leaf certificates they sign, for a server (subjectAltName, serverAuth) or a
 * client (the front-proxy client, clientAuth). Keys are RSA 2048 from node:crypto (native); node-forge
 * — one dependency-free package — only builds and signs the certificate (RFC 5280). It replaced a
 * WebCrypto/ECDSA library that needed a global `reflect-metadata` polyfill and a dozen packages.
 */
export interface KeyPairPem {
  /** PEM certificate. */
  cert: string;
  /** PEM private key (PKCS#8). */
  key: string;
}

export interface CertificateRequest {
  commonName: string;
  /** Organisation entries (Kubernetes reads them as groups in client certificates). */
  organizations?: string[];
  /** Server certificates: DNS names and IP addresses it answers for. */
  dnsNames?: string[];
  ipAddresses?: string[];
  usage: 'server' | 'client' | 'ca';
  /** Validity in days (default 365). */
  days?: number;
  /** The moment validity counts from (default now). */
  now?: Date;
}

const DAY_MS = 24 * 60 * 60 * 1000;

function newKeys(): { publicKey: forge.pki.PublicKey; privateKey: forge.pki.rsa.PrivateKey; keyPem: string } {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicPem = pair.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    publicKey: forge.pki.publicKeyFromPem(publicPem),
    privateKey: forge.pki.privateKeyFromPem(keyPem),
    keyPem,
  };
}

function subjectOf(request: CertificateRequest): forge.pki.CertificateField[] {
  return [
    ...(request.organizations ?? []).map((value) => ({ shortName: 'O', value })),
    { shortName: 'CN', value: request.commonName },
  ];
}

function extensionsOf(request: CertificateRequest): object[] {
  if (request.usage === 'ca') {
    return [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
      { name: 'subjectKeyIdentifier' },
    ];
  }
  const altNames = [
    ...(request.dnsNames ?? []).map((value) => ({ type: 2, value })),
    ...(request.ipAddresses ?? []).map((ip) => ({ type: 7, ip })),
  ];
  return [
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    request.usage === 'server'
      ? { name: 'extKeyUsage', serverAuth: true }
      : { name: 'extKeyUsage', clientAuth: true },
    ...(altNames.length > 0 ? [{ name: 'subjectAltName', altNames }] : []),
  ];
}

/** A certificate for `request`, self-signed when `issuer` is not given (only sensible for a CA). */
export function issueCertificate(request: CertificateRequest, issuer?: KeyPairPem): KeyPairPem {
  // RFC 6125 §6.4.4: clients match the subjectAltName, never the CN — a server certificate without one
  // matches no name at all.
  if (request.usage === 'server' && !request.dnsNames?.length && !request.ipAddresses?.length)
    throw new Error(`certificate ${request.commonName}: a serving certificate needs at least one host`);
  const keys = newKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // A positive 128-bit serial (RFC 5280 4.1.2.2: at most 20 octets, positive).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = (request.now ?? new Date()).getTime();
  // Back-dated a little: the verifying clock may be behind the signing one.
  cert.validity.notBefore = new Date(now - 5 * 60 * 1000);
  cert.validity.notAfter = new Date(now + (request.days ?? 365) * DAY_MS);
  cert.setSubject(subjectOf(request));
  cert.setExtensions(extensionsOf(request));
  if (issuer) {
    const issuerCert = forge.pki.certificateFromPem(issuer.cert);
    cert.setIssuer(issuerCert.subject.attributes);
    cert.sign(forge.pki.privateKeyFromPem(issuer.key), forge.md.sha256.create());
  } else {
    cert.setIssuer(subjectOf(request));
    cert.sign(keys.privateKey, forge.md.sha256.create());
  }
  return { cert: forge.pki.certificateToPem(cert), key: keys.keyPem };
}

/** A new CA: sign leaf certificates with it, hand its `cert` to whoever verifies them. */
export function newCertificateAuthority(commonName: string, days = 3650, now?: Date): KeyPairPem {
  return issueCertificate({ commonName, usage: 'ca', days, ...(now ? { now } : {}) });
}

/** Host names and addresses as a certificate's subjectAltName wants them: IPs apart from DNS names. */
export function alternativeNames(hosts: readonly string[]): { dnsNames: string[]; ipAddresses: string[] } {
  return {
    dnsNames: hosts.filter((host) => isIP(host) === 0),
    ipAddresses: hosts.filter((host) => isIP(host) !== 0),
  };
}
