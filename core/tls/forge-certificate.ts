import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/**
 * X.509 certificates seco makes itself, synchronously (node-forge; the bus trust material uses the
 * WebCrypto-based issue-certificate.ts — one of the two should go): a CA (the aggregated API's serving CA at install, the test
 * harness's requestheader CA) and leaf certificates it signs, for a server (subjectAltName, serverAuth)
 * or a client (the front-proxy client, clientAuth). Keys are RSA 2048 from node:crypto (fast, native);
 * node-forge only builds and signs the certificate (RFC 5280).
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
  const keys = newKeys();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  // A positive 128-bit serial (RFC 5280 4.1.2.2: at most 20 octets, positive).
  cert.serialNumber = `01${randomBytes(15).toString('hex')}`;
  const now = Date.now();
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
export function newCertificateAuthority(commonName: string, days = 3650): KeyPairPem {
  return issueCertificate({ commonName, usage: 'ca', days });
}
