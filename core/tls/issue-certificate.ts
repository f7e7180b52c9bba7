import { webcrypto } from 'node:crypto';
import { isIP } from 'node:net';
import * as x509 from '@peculiar/x509';
import {
  type CertificateAndKey,
  escapeDn,
  KEY_ALGORITHM,
  keyFromPem,
  keyToPem,
  randomSerial,
} from './certificate-authority.js';

export interface CertificateRequest {
  commonName: string;
  /** DNS names and IP addresses the certificate is valid for (subjectAltName; RFC 6125 ignores the CN). */
  hosts: readonly string[];
  /** `server` for a listener, `client` for a connecting identity, both for a peer that is both. */
  usages: ReadonlyArray<'server' | 'client'>;
  days?: number;
  now?: Date;
}

const DAY_MS = 86_400_000;

/** A leaf certificate signed by `ca` for the hosts given, with a fresh P-256 key. */
export async function issueCertificate(
  ca: CertificateAndKey,
  request: CertificateRequest,
): Promise<CertificateAndKey> {
  if (request.hosts.length === 0 && request.usages.includes('server'))
    throw new Error(`certificate ${request.commonName}: a serving certificate needs at least one host`);
  const now = request.now ?? new Date();
  const issuer = new x509.X509Certificate(ca.cert);
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const extendedUsages = request.usages.map((u) =>
    u === 'server' ? x509.ExtendedKeyUsage.serverAuth : x509.ExtendedKeyUsage.clientAuth,
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: `CN=${escapeDn(request.commonName)}`,
    issuer: issuer.subject,
    notBefore: new Date(now.getTime() - 5 * 60_000),
    notAfter: new Date(now.getTime() + (request.days ?? 825) * DAY_MS),
    publicKey: keys.publicKey,
    signingKey: await keyFromPem(ca.key),
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(
        x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment,
        true,
      ),
      new x509.ExtendedKeyUsageExtension(extendedUsages),
      ...(request.hosts.length > 0
        ? [new x509.SubjectAlternativeNameExtension(alternativeNames(request.hosts))]
        : []),
      await x509.AuthorityKeyIdentifierExtension.create(issuer),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyToPem(keys.privateKey) };
}

function alternativeNames(hosts: readonly string[]): x509.JsonGeneralName[] {
  return hosts.map((host) => (isIP(host) ? { type: 'ip', value: host } : { type: 'dns', value: host }));
}
