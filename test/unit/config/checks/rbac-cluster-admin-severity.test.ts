import { describe, expect, it } from '@jest/globals';
import { HARDENING_CHECKS } from '../../../../core/config/checks/index.js';
import { parseManifests } from '../../../../core/config/input/parse-manifests.js';
import { CONTEXT_KINDS } from '../../../../core/config/registry.js';
import { scanConfig } from '../../../../core/config/scan-config.js';
import { Suppressor } from '../../../../core/config/suppression.js';

const now = new Date('2026-12-06T00:00:00Z');

function severityOfBinding(subjects: string): string | undefined {
  const text = `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: b}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
subjects: ${subjects}
`;
  const { objects } = parseManifests({ name: 'b.yaml', text });
  const result = scanConfig(objects, {
    checks: HARDENING_CHECKS,
    suppressor: new Suppressor([], now),
    contextKinds: CONTEXT_KINDS,
    now,
  });
  return result.findings.find((f) => f.ruleId === 'rbac-cluster-admin-binding')?.severity;
}

describe('cluster-admin bindings: severity by subject kind (CIS 5.1.1)', () => {
  it.each([
    ['[{kind: ServiceAccount, name: ci, namespace: build}]', 'critical'],
    ['[{kind: Group, name: "system:authenticated"}]', 'critical'],
    ['[{kind: Group, name: platform-admins}]', 'high'],
    ['[{kind: User, name: alice@example.com}]', 'medium'],
    [
      '[{kind: User, name: alice@example.com}, {kind: ServiceAccount, name: ci, namespace: build}]',
      'critical',
    ],
    ['[{kind: Group, name: "system:masters"}]', undefined],
    ['[{kind: User, name: "system:kube-scheduler"}]', undefined],
  ])('%s → %s', (subjects, severity) => {
    expect(severityOfBinding(subjects)).toBe(severity);
  });
});
