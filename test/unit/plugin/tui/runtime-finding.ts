import type { Finding, Severity } from '../../../../core/model/index.js';

/** A runtime finding as an agent would send it; `id` is the fingerprint the store de-duplicates by. */
export function runtimeFinding(id: string, severity: Severity, overrides: Partial<Finding> = {}): Finding {
  return {
    id: id.padStart(16, '0'),
    scanner: 'runtime',
    ruleId: 'shell-in-container',
    title: 'A shell ran in a container',
    severity,
    resource: { namespace: 'shop', kind: 'Pod', name: 'web-7d9', container: 'web', node: 'node-a' },
    evidence: 'bash -c export AWS_SECRET_ACCESS_KEY=****',
    remediation: 'Remove shells from the image; use kubectl debug with an ephemeral container.',
    references: [
      { kind: 'mitre', id: 'T1059' },
      { kind: 'url', id: 'docs', url: 'https://attack.mitre.org/techniques/T1059/' },
    ],
    firstSeen: '2026-11-22T14:02:11.000Z',
    lastSeen: '2026-11-22T14:02:11.000Z',
    status: 'open',
    ...overrides,
  };
}

/** An image finding (a CVE in a package with a fixed version), for the findings screen. */
export function imageFinding(id: string, severity: Severity, overrides: Partial<Finding> = {}): Finding {
  return runtimeFinding(id, severity, {
    scanner: 'image',
    ruleId: `CVE-2026-${id.padStart(4, '0')}`,
    title: `openssl: flaw ${id}`,
    resource: {
      namespace: 'shop',
      kind: 'Deployment',
      name: 'web',
      container: 'web',
      image: 'ghcr.io/acme/web:1.4.2',
    },
    evidence: 'openssl 3.0.1 installed (dpkg)',
    package: { name: 'openssl', version: '3.0.1', fixedVersion: '3.0.9' },
    references: [{ kind: 'cve', id: `CVE-2026-${id.padStart(4, '0')}` }],
    ...overrides,
  });
}
