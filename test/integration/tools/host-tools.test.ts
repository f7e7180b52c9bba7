import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { SecureExecutor } from '../../../core/exec/executor.js';
import { scanHost } from '../../../core/host/scan-host.js';
import { chkrootkit } from '../../../core/tools/adapters/chkrootkit.js';
import { lynis } from '../../../core/tools/adapters/lynis.js';
import { mergeHostFindings, sameControl } from '../../../core/tools/host-merge.js';
import { installedTools } from '../../../core/tools/installed-tools.js';
import { runTool } from '../../../core/tools/run-tool.js';
import { requireTool } from '../../harness/registry/required-tool.js';

const audit = new AuditMemory();
let executor: SecureExecutor;
let infected: string;
let clean: string;

beforeAll(async () => {
  requireTool('lynis', 'lynis');
  requireTool('chkrootkit', 'chkrootkit');
  executor = new SecureExecutor({ tools: await installedTools([lynis, chkrootkit]), audit: audit.sink });
  // A host root with the Slapper worm's file (chkrootkit's slapper test looks for ROOT/tmp/.bugtraq).
  infected = mkdtempSync(join(tmpdir(), 'seco-infected-root-'));
  mkdirSync(join(infected, 'tmp'));
  writeFileSync(join(infected, 'tmp', '.bugtraq'), 'slapper\n');
  clean = mkdtempSync(join(tmpdir(), 'seco-clean-root-'));
  mkdirSync(join(clean, 'tmp'));
});
afterAll(() => {
  for (const dir of [infected, clean]) if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('host tools', () => {
  test('chkrootkit reports the Slapper worm file in a host root, with the path inside that root', async () => {
    const output = await runTool(
      chkrootkit,
      { place: 'host', root: infected, node: 'node-a' },
      {
        executor,
        inputs: { chkrootkitTests: ['slapper', 'scalper', 'not-a-test;id'] },
      },
    );
    expect(output.problems).toEqual([]);
    expect(output.findings).toEqual([
      expect.objectContaining({
        ruleId: 'tool:chkrootkit/slapper',
        scanner: 'tool:chkrootkit',
        severity: 'medium',
        resource: { kind: 'Node', name: 'node-a', node: 'node-a' },
        evidence: expect.stringContaining('/tmp/.bugtraq'),
      }),
    ]);
    expect(output.findings[0]!.evidence).not.toContain(infected);
    // The unknown test name never reached the command line.
    const approved = audit.records.filter((r) => r.tool === 'chkrootkit' && r.event === 'approved').at(-1)!;
    expect(approved.args).toEqual(['-r', infected, 'slapper', 'scalper']);
    const cleanRun = await runTool(
      chkrootkit,
      { place: 'host', root: clean, node: 'node-b' },
      {
        executor,
        inputs: { chkrootkitTests: ['slapper'] },
      },
    );
    expect(cleanRun.findings).toEqual([]);
  }, 60_000);

  test('lynis audits the host; its sysctl findings merge with seco’s own checks of the same control', async () => {
    const output = await runTool(
      lynis,
      { place: 'host', root: '/', node: 'node-a' },
      {
        executor,
        inputs: { lynisTests: ['KRNL-6000'] },
      },
    );
    expect(output.problems).toEqual([]);
    expect(output.raw.map((r) => r.name)).toContain('lynis-report.dat');
    const sysctls = output.findings.filter((f) => f.ruleId.startsWith('tool:lynis/KRNL-6000:'));
    expect(sysctls.length).toBeGreaterThan(0);
    for (const f of sysctls) expect(f.references[0]).toMatchObject({ id: 'lynis KRNL-6000' });
    const seco = await scanHost({ hostRoot: '/', procRoot: '/proc', nodeName: 'node-a' });
    const merged = mergeHostFindings(seco.findings, output.findings);
    // Every sysctl both flag is one finding: seco's, with lynis's reference and evidence.
    const both = seco.findings.filter(
      (f) =>
        f.ruleId.startsWith('sysctl-') &&
        merged.some((m) => m.id === f.id && m.references.some((r) => r.id === 'lynis KRNL-6000')),
    );
    const lynisKeys = new Set(sysctls.map((f) => f.ruleId.split(':').at(-1)));
    const expected = sysctls.filter((f) => seco.findings.some((s) => s.ruleId === sameControl(f)));
    expect(both.length).toBe(expected.length);
    expect(merged.length).toBe(seco.findings.length + output.findings.length - both.length);
    for (const f of both) {
      const m = merged.find((x) => x.id === f.id)!;
      expect(m.evidence).toContain('tool:lynis:');
      expect(merged.filter((x) => x.resource.file === m.resource.file && x.scanner === 'tool:lynis')).toEqual(
        [],
      );
    }
    expect(lynisKeys.size).toBe(sysctls.length);
  }, 240_000);
});
