import { X509Certificate } from 'node:crypto';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from '@jest/globals';
import {
  alternativeNames,
  issueCertificate,
  newCertificateAuthority,
} from '../../../core/tls/forge-certificate.js';
import { makeTrustMaterial } from '../../../core/trust/trust-material.js';

describe('issueCertificate', () => {
  const ca = newCertificateAuthority('seco-test-ca');

  it('makes a CA that verifies the client certificates it signs, and not others', () => {
    const client = issueCertificate({ commonName: 'front-proxy-client', usage: 'client' }, ca);
    const other = newCertificateAuthority('someone-else');
    const caCert = new X509Certificate(ca.cert);
    const leaf = new X509Certificate(client.cert);
    expect(caCert.ca).toBe(true);
    expect(leaf.ca).toBe(false);
    expect(leaf.subject).toBe('CN=front-proxy-client');
    expect(leaf.checkIssued(caCert)).toBe(true);
    expect(leaf.verify(caCert.publicKey)).toBe(true);
    expect(leaf.verify(new X509Certificate(other.cert).publicKey)).toBe(false);
    expect(leaf.keyUsage).toEqual(['1.3.6.1.5.5.7.3.2']);
  });

  it('makes a server certificate a TLS client accepts for its names, with the client certificate seen by the server', async () => {
    const server = issueCertificate(
      { commonName: 'seco-aggregator', usage: 'server', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'] },
      ca,
    );
    const client = issueCertificate({ commonName: 'front-proxy-client', usage: 'client' }, ca);
    const listener = createServer({ ...server, ca: ca.cert, requestCert: true, rejectUnauthorized: false });
    const seen = new Promise<{ authorized: boolean; cn: string }>((resolve) =>
      listener.once('secureConnection', (socket: TLSSocket) => {
        resolve({ authorized: socket.authorized, cn: String(socket.getPeerCertificate().subject?.CN) });
        socket.end();
      }),
    );
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const port = (listener.address() as { port: number }).port;
    const socket = connect({ host: '127.0.0.1', port, ca: ca.cert, cert: client.cert, key: client.key });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', resolve);
      socket.once('error', reject);
    });
    expect(socket.authorized).toBe(true);
    expect(await seen).toEqual({ authorized: true, cn: 'front-proxy-client' });
    socket.destroy();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  it('issues a serving certificate that chains to the CA, for exactly the names asked', () => {
    const leaf = issueCertificate(
      {
        commonName: 'seco-nats',
        usage: 'server',
        ...alternativeNames(['seco-nats.seco-system.svc', '127.0.0.1']),
      },
      ca,
    );
    const caCert = new X509Certificate(ca.cert);
    const cert = new X509Certificate(leaf.cert);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.checkHost('seco-nats.seco-system.svc')).toBe('seco-nats.seco-system.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('evil.example')).toBeUndefined();
    expect(cert.checkIP('127.0.0.2')).toBeUndefined();
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // serverAuth only
    expect(leaf.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('puts organisations in the subject (Kubernetes reads them as groups) and counts validity from `now`', () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const leaf = new X509Certificate(
      issueCertificate(
        { commonName: 'alice', organizations: ['system:masters'], usage: 'client', days: 2, now },
        ca,
      ).cert,
    );
    expect(leaf.subject.split('\n')).toEqual(['O=system:masters', 'CN=alice']);
    expect(new Date(leaf.validTo).getTime()).toBe(now.getTime() + 2 * 86_400_000);
  });

  it('makes a new CA each time (re-install rotates) and refuses a server certificate with no host', () => {
    const [a, b] = [newCertificateAuthority('a'), newCertificateAuthority('a')];
    expect(new X509Certificate(a.cert).fingerprint256).not.toBe(new X509Certificate(b.cert).fingerprint256);
    expect(() => issueCertificate({ commonName: 'x', usage: 'server' }, a)).toThrow(/at least one host/);
  });

  it("makes the install's trust material: one CA, a serving certificate per server for its names", async () => {
    const material = await makeTrustMaterial({
      nats: ['seco-nats.seco-system.svc'],
      aggregator: ['seco-aggregator.seco-system.svc'],
      minio: ['seco-minio.seco-system.svc', '10.0.0.7'],
    });
    const caCert = new X509Certificate(material.ca.cert);
    expect(caCert.ca).toBe(true);
    for (const [leaf, name] of [
      [material.nats, 'seco-nats.seco-system.svc'],
      [material.aggregator, 'seco-aggregator.seco-system.svc'],
      [material.minio, 'seco-minio.seco-system.svc'],
    ] as const) {
      const cert = new X509Certificate(leaf.cert);
      expect(cert.checkIssued(caCert) && cert.verify(caCert.publicKey)).toBe(true);
      expect(cert.checkHost(name)).toBe(name);
    }
    expect(new X509Certificate(material.minio.cert).checkIP('10.0.0.7')).toBe('10.0.0.7');
    expect(new X509Certificate(material.nats.cert).checkHost('seco-minio.seco-system.svc')).toBeUndefined();
  });
});
