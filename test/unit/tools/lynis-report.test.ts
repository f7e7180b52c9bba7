import { readFileSync } from 'node:fs';
import { describe, expect, test } from '@jest/globals';
import { type Finding, fingerprint } from '../../../core/model/index.js';
import { parseLynisReport } from '../../../core/tools/adapters/lynis.js';
import { mergeHostFindings } from '../../../core/tools/host-merge.js';

const report = readFileSync(new URL('../../fixtures/tools/lynis-report.dat', import.meta.url), 'utf8');
const now = new Date('2026-12-06T08:00:00Z');
const target = { place: 'host' as const, root: '/', node: 'node-a' };

function secoFinding(ruleId: string): Finding {
  const resource = { kind: 'Node', name: 'node-a', node: 'node-a' };
  return {
    id: fingerprint(ruleId, resource),
    scanner: 'host',
    ruleId,
    title: ruleId,
    severity: 'medium',
    resource,
    evidence: 'seen by seco',
    references: [],
    firstSeen: now.toISOString(),
    lastSeen: now.toISOString(),
    status: 'open',
  };
}

describe('lynis report (lynis 3.0.8 report.dat)', () => {
  const findings = parseLynisReport(report, target, now);

  test('one finding per warning/suggestion test, one per sysctl or sshd setting detailed', () => {
    const ids = findings.map((f) => f.ruleId);
    expect(ids).toContain('tool:lynis/DEB-0280');
    expect(ids).toContain('tool:lynis/KRNL-6000:fs.protected_symlinks');
    expect(ids).toContain('tool:lynis/SSH-7408:PermitRootLogin');
    expect(ids.filter((id) => id === 'tool:lynis/AUTH-9286')).toHaveLength(
      ids.includes('tool:lynis/AUTH-9286') ? 1 : 0,
    );
    // lynis's note about its own age is not a finding about the host; generic suggestions covered by details go.
    expect(ids).not.toContain('tool:lynis/LYNIS');
    expect(ids).not.toContain('tool:lynis/KRNL-6000');
    expect(ids).not.toContain('tool:lynis/SSH-7408');
    expect(new Set(findings.map((f) => f.id)).size).toBe(findings.length);
    expect(findings.find((f) => f.ruleId === 'tool:lynis/SSH-7412')).toMatchObject({
      severity: 'medium',
      remediation: 'Set PermitRootLogin to no',
    });
  });

  test('merges with seco’s check of the same control and keeps the others', () => {
    const seco = [
      secoFinding('sysctl-protected-symlinks'),
      secoFinding('sshd-permit-root-login'),
      secoFinding('kubelet-anonymous-auth'),
    ];
    const merged = mergeHostFindings(seco, findings);
    expect(merged).toHaveLength(seco.length + findings.length - 2);
    const symlinks = merged.find((f) => f.ruleId === 'sysctl-protected-symlinks')!;
    expect(symlinks.id).toBe(seco[0]!.id);
    expect(symlinks.references).toEqual([expect.objectContaining({ id: 'lynis KRNL-6000' })]);
    expect(symlinks.evidence).toBe(
      'seen by seco; tool:lynis: fs.protected_symlinks = 0 (Restrict symlink following behavior)',
    );
    expect(merged.find((f) => f.ruleId === 'sshd-permit-root-login')!.references).toEqual([
      expect.objectContaining({ id: 'lynis SSH-7408' }),
    ]);
    expect(merged.some((f) => f.ruleId === 'tool:lynis/KRNL-6000:fs.protected_symlinks')).toBe(false);
    expect(merged.some((f) => f.ruleId === 'tool:lynis/KRNL-6000:kernel.kptr_restrict')).toBe(true);
  });
});
