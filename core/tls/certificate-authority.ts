// @peculiar/x509's dependency injection (tsyringe) needs the Reflect metadata API, which Node lacks.
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';

type CryptoKey = webcrypto.CryptoKey;

import * as x509 from '@peculiar/x509';

// @peculiar/x509 signs through WebCrypto; Node's is complete for ECDSA P-256.
x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256 (RFC 5480): small keys and signatures, accepted by every TLS stack seco talks to. */
export const KEY_ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A certificate and its private key, PEM (the key as PKCS#8), as nats-server, Minio and Node read them. */
export interface CertificateAndKey {
  cert: string;
  key: string;
}

export async function keyToPem(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey('pkcs8', key), 'PRIVATE KEY');
}

export async function keyFromPem(pem: string): Promise<CryptoKey> {
  return webcrypto.subtle.importKey('pkcs8', x509.PemConverter.decodeFirst(pem), KEY_ALGORITHM, true, [
    'sign',
  ]);
}

/** A random positive serial of 16 bytes (RFC 5280 §4.1.2.2: unique per CA, at most 20 octets). */
export function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0]! &= 0x7f;
  return Buffer.from(bytes).toString('hex');
}

const DAY_MS = 86_400_000;

/**
 * A self-signed CA for one installation: every seco certificate (NATS, the aggregator's agent endpoint,
 * Minio) chains to it and every component trusts only it. A re-install makes a new one (rotation).
 */
export async function createCertificateAuthority(
  commonName: string,
  days = 3650,
  now = new Date(),
): Promise<CertificateAndKey> {
  const keys = await webcrypto.subtle.generateKey(KEY_ALGORITHM, true, ['sign', 'verify']);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: `CN=${escapeDn(commonName)}`,
    notBefore: new Date(now.getTime() - 5 * 60_000), // clocks a little behind still accept it
    notAfter: new Date(now.getTime() + days * DAY_MS),
    keys,
    signingAlgorithm: KEY_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { cert: cert.toString('pem'), key: await keyToPem(keys.privateKey) };
}

/** RFC 4514 escaping of an attribute value: a name with a comma or plus stays one attribute. */
export function escapeDn(value: string): string {
  return value.replace(/[,+"\\<>;=]/g, (c) => `\\${c}`).replace(/^[ #]|[ ]$/g, (c) => `\\${c}`);
}
