import { X509Certificate } from 'node:crypto';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { describe, expect, it } from '@jest/globals';
import { issueCertificate, newCertificateAuthority } from '../../../core/tls/forge-certificate.js';

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
});
