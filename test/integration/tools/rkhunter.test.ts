import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { AuditMemory } from '../../../core/exec/audit-log.js';
import { SecureExecutor } from '../../../core/exec/executor.js';
import { scanHost } from '../../../core/host/scan-host.js';
import { rkhunter } from '../../../core/tools/adapters/rkhunter.js';
import { mergeHostFindings, sameControl } from '../../../core/tools/host-merge.js';
import { installedTools } from '../../../core/tools/installed-tools.js';
import { runTool } from '../../../core/tools/run-tool.js';
import { requireTool } from '../../harness/registry/required-tool.js';

const audit = new AuditMemory();
let executor: SecureExecutor;
let root: string;

beforeAll(async () => {
  requireTool('rkhunter', 'rkhunter');
  executor = new SecureExecutor({ tools: await installedTools([rkhunter]), audit: audit.sink });
  // A node's root whose sshd allows root logins: rkhunter's and seco's sshd checks both flag it.
  root = mkdtempSync(join(tmpdir(), 'seco-rk-root-'));
  mkdirSync(join(root, 'etc', 'ssh'), { recursive: true });
  writeFileSync(join(root, 'etc', 'ssh', 'sshd_config'), 'PermitRootLogin yes\nPasswordAuthentication no\n');
});
afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('rkhunter', () => {
  test('flags root logins in a mounted host root’s sshd_config, merged into seco’s own sshd check', async () => {
    const output = await runTool(
      rkhunter,
      { place: 'host', root, node: 'node-a' },
      // Off `/` only the relocatable test runs, whatever is asked (rootkits would look at this machine).
      { executor, inputs: { rkhunterTests: ['rootkits', 'system_configs_ssh', 'x;id'] } },
    );
    expect(output.problems).toEqual([]);
    expect(output.raw.map((r) => r.name)).toContain('rkhunter.log');
    const approved = audit.records.filter((r) => r.tool === 'rkhunter' && r.event === 'approved').at(-1)!;
    expect(approved.args?.slice(-2)).toEqual(['--enable', 'system_configs_ssh']);
    const rootLogin = output.findings.find((f) => f.ruleId === 'tool:rkhunter/ssh-root-access-is-allowed');
    expect(rootLogin).toMatchObject({
      scanner: 'tool:rkhunter',
      severity: 'medium',
      resource: { kind: 'Node', name: 'node-a', node: 'node-a' },
      evidence: expect.stringContaining("'PermitRootLogin': yes"),
    });
    const seco = await scanHost({ hostRoot: root, procRoot: '/proc', nodeName: 'node-a' });
    const own = seco.findings.find((f) => f.ruleId === sameControl(rootLogin!));
    expect(own).toBeDefined();
    const merged = mergeHostFindings(seco.findings, output.findings);
    expect(merged.filter((f) => f.scanner === 'tool:rkhunter' && f.id === rootLogin!.id)).toEqual([]);
    const mergedOwn = merged.find((f) => f.id === own!.id)!;
    expect(mergedOwn.evidence).toContain('tool:rkhunter:');
    expect(mergedOwn.references.map((r) => r.id)).toContain('rkhunter');
  }, 180_000);

  test('a clean sshd_config gives no finding', async () => {
    writeFileSync(join(root, 'etc', 'ssh', 'sshd_config'), 'PermitRootLogin no\n');
    const output = await runTool(rkhunter, { place: 'host', root, node: 'node-b' }, { executor });
    expect(output.problems).toEqual([]);
    expect(output.findings).toEqual([]);
  }, 180_000);

  test('runs its rootkit signature tests on this machine’s own root', async () => {
    const output = await runTool(
      rkhunter,
      { place: 'host', root: '/', node: 'node-c' },
      { executor, inputs: { rkhunterTests: ['known_rkts'] } },
    );
    expect(output.problems).toEqual([]);
    const log = output.raw.find((r) => r.name === 'rkhunter.log')!.body.toString();
    expect(log).toMatch(/Checking for .* \[ Not found \]/);
    expect(output.findings.filter((f) => f.severity === 'high')).toEqual([]);
  }, 300_000);

  test('a host root rkhunter’s configuration could not hold safely is refused before the run', async () => {
    const output = await runTool(rkhunter, { place: 'host', root: `${root}/a b`, node: 'n' }, { executor });
    expect(output.findings).toEqual([]);
    expect(output.problems).toEqual([expect.stringMatching(/^rkhunter: host root .* not a plain path/)]);
  });
});
