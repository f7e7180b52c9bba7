import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { scanManifestFiles } from '../../../core/config/scan-manifest-files.js';
import { importFiles } from '../../../core/tools/import/import-files.js';

const fixture = (name: string) => new URL(`../../fixtures/import/${name}`, import.meta.url).pathname;
const now = new Date('2026-12-06T08:00:00Z');

describe('kubectl seco import', () => {
  test('kube-bench: PASS and INFO are no finding; FAIL and WARN take seco’s host check id by CIS number', async () => {
    const report = await importFiles([fixture('kube-bench.json')], { now, node: 'worker-1' });
    expect(report.problems).toEqual([]);
    expect(report.findings.map((f) => [f.ruleId, f.severity, f.scanner]).sort()).toEqual([
      ['kubelet-config-file-permissions', 'high', 'tool:kube-bench'],
      ['kubelet-pod-pids-limit', 'low', 'tool:kube-bench'],
    ]);
    expect(report.findings[0]).toMatchObject({
      resource: { kind: 'Node', name: 'worker-1', node: 'worker-1' },
      references: [{ kind: 'cis', id: 'cis-1.10 4.1.9' }],
      evidence: expect.stringContaining('permissions=644'),
    });
  });

  test('trivy image: vulnerabilities with package and fix, secrets masked, broken entries reported', async () => {
    const report = await importFiles([fixture('trivy-image.json')], { now });
    const vulns = report.findings.filter((f) => f.package);
    expect(vulns.map((f) => [f.ruleId, f.severity, f.package!.fixedVersion]).sort()).toEqual([
      ['CVE-2023-5678', 'medium', '3.0.13-1~deb12u1'],
      ['CVE-2024-2511', 'low', undefined],
    ]);
    expect(vulns[0]!.resource.image).toBe(
      'nginx@sha256:4c0fdaa8b6341bfdeca5f18f7837462c80cff90527ee35ef185571e1c327beac',
    );
    const secret = report.findings.find((f) => f.ruleId === 'tool:trivy/secret-aws-access-key-id')!;
    expect(secret.severity).toBe('critical');
    expect(secret.evidence).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(report.problems).toEqual([
      expect.objectContaining({ kind: 'warning', message: expect.stringMatching(/without VulnerabilityID/) }),
    ]);
  });

  test('the same control from seco, trivy and kubescape on the same Deployment is one finding', async () => {
    const seco = await scanManifestFiles([fixture('web-privileged.yaml')], {
      stdin: async () => Buffer.alloc(0),
      now: () => now,
    });
    const dir = mkdtempSync(join(tmpdir(), 'seco-import-'));
    try {
      writeFileSync(join(dir, 'seco.json'), JSON.stringify(seco));
      const report = await importFiles(
        [join(dir, 'seco.json'), fixture('trivy-config.json'), fixture('kubescape.json')],
        { now },
      );
      expect(report.problems).toEqual([
        expect.objectContaining({ message: expect.stringMatching(/results\[1\] has no resourceID/) }),
      ]);
      const privileged = report.findings.filter((f) => f.ruleId === 'pss-baseline-privileged');
      expect(privileged).toHaveLength(1);
      expect(privileged[0]!.scanner).toBe('config');
      expect(privileged[0]!.references.map((r) => r.id)).toEqual(
        expect.arrayContaining(['trivy KSV017', 'kubescape C-0057']),
      );
      expect(privileged[0]!.evidence).toContain('also reported by tool:trivy');
      const readOnly = report.findings.filter((f) => f.ruleId === 'read-only-root-filesystem');
      expect(readOnly).toHaveLength(1);
      expect(readOnly[0]!.references.map((r) => r.id)).toContain('kubescape C-0017');
      // Controls seco has no check for stay the tool's; passed ones are no finding.
      expect(report.findings.map((f) => f.ruleId)).toContain('tool:trivy/KSV106');
      expect(report.findings.map((f) => f.ruleId)).not.toContain('tool:trivy/KSV020');
      expect(
        report.findings.some(
          (f) => f.ruleId === 'service-account-token-automount' && f.scanner === 'tool:kubescape',
        ),
      ).toBe(false);
      const ids = report.findings.map((f) => f.id);
      expect(new Set(ids).size).toBe(ids.length);
      expect(report.findings.length).toBeLessThan(seco.findings.length + 6);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('files that are not JSON or not a known format are errors; the others are still imported', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seco-import-'));
    try {
      writeFileSync(join(dir, 'garbage.json'), '{"not": "a report"}');
      writeFileSync(join(dir, 'broken.json'), '{"SchemaVersion": 2, ');
      const report = await importFiles(
        [
          join(dir, 'garbage.json'),
          join(dir, 'broken.json'),
          join(dir, 'missing.json'),
          fixture('kube-bench.json'),
        ],
        { now },
      );
      expect(report.problems.map((p) => [p.kind, p.source.replace(dir, 'DIR')])).toEqual([
        ['error', 'DIR/garbage.json'],
        ['error', 'DIR/broken.json'],
        ['error', 'DIR/missing.json'],
      ]);
      expect(report.problems[0]!.message).toMatch(/not a format seco imports/);
      expect(report.findings).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
