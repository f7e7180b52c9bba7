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
