import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { createCertificateAuthority } from '../../../core/tls/certificate-authority.js';
import { issueCertificate } from '../../../core/tls/issue-certificate.js';

describe('install certificates', () => {
  it('issues a serving certificate that chains to the CA, for exactly the names asked', async () => {
    const ca = await createCertificateAuthority('seco CA test');
    const leaf = await issueCertificate(ca, {
      commonName: 'seco-nats',
      hosts: ['seco-nats.seco-system.svc', '127.0.0.1'],
      usages: ['server'],
    });
    const caCert = new X509Certificate(ca.cert);
    const cert = new X509Certificate(leaf.cert);
    expect(caCert.ca).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkHost('seco-nats.seco-system.svc')).toBe('seco-nats.seco-system.svc');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('evil.example')).toBeUndefined();
    expect(cert.keyUsage).toContain('1.3.6.1.5.5.7.3.1'); // serverAuth
    expect(leaf.key).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('makes a new CA each time (re-install rotates) and refuses a server certificate with no host', async () => {
    const [a, b] = await Promise.all([createCertificateAuthority('a'), createCertificateAuthority('a')]);
    expect(new X509Certificate(a.cert).fingerprint256).not.toBe(new X509Certificate(b.cert).fingerprint256);
    await expect(issueCertificate(a, { commonName: 'x', hosts: [], usages: ['server'] })).rejects.toThrow(
      /at least one host/,
    );
  });
});
