import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from '@jest/globals';
import { runCli } from './run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'seco-cli-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('third-party tools from the CLI', () => {
  test('kubectl seco tools lists every adapter with the installed version', async () => {
    const result = await runCli(['tools', '-o', 'json']);
    expect(result.code).toBe(0);
    const { local } = JSON.parse(result.stdout) as { local: Array<Record<string, string>> };
    expect(local.map((t) => t.tool)).toEqual([
      'lynis',
      'chkrootkit',
      'clamav',
      'yara',
      'nmap',
      'sslscan',
      'rkhunter',
      'testssl',
    ]);
    for (const tool of local) expect(tool).toMatchObject({ version: expect.stringMatching(/^\d+\.\d+/) });
  }, 60_000);

  test('scan host --tools runs the tool through the executor, audits it, and refuses tools of another kind', async () => {
    const root = join(dir, 'root');
    mkdirSync(join(root, 'tmp'), { recursive: true });
    writeFileSync(join(root, 'tmp', '.bugtraq'), 'x');
    const audit = join(dir, 'audit.jsonl');
    const args = ['scan', 'host', '--root', root, '--node', 'n1', '-o', 'json', '--tools-audit', audit];
    const result = await runCli([...args, '--tools', 'chkrootkit', '--chkrootkit-tests', 'slapper']);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: { ruleId: string }) => f.ruleId)).toContain('tool:chkrootkit/slapper');
    expect(report.problems).toEqual([]);
    const { readFileSync } = await import('node:fs');
    const events = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l).event);
    expect(events).toEqual(['approved', 'started', 'ended']);
    const wrong = await runCli([...args, '--tools', 'nmap']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/runs on service targets, not host/);
  }, 60_000);

  test('--scanners names tools (only those run) and suggests the closest name for a typo', async () => {
    const root = join(dir, 'root-scanners');
    mkdirSync(join(root, 'tmp'), { recursive: true });
    writeFileSync(join(root, 'tmp', '.bugtraq'), 'x');
    const args = [
      'scan',
      'host',
      '--root',
      root,
      '--node',
      'n1',
      '-o',
      'json',
      '--tools-audit',
      join(dir, 'a2.jsonl'),
    ];
    const only = await runCli([...args, '--scanners', 'chkrootkit', '--chkrootkit-tests', 'slapper']);
    const report = JSON.parse(only.stdout);
    expect(new Set(report.findings.map((f: { scanner: string }) => f.scanner))).toEqual(
      new Set(['tool:chkrootkit']),
    );
    const typo = await runCli([...args, '--scanners', 'host,chkrootkt']);
    expect(typo.code).toBe(2);
    expect(typo.stderr).toMatch(/unknown scanner "chkrootkt": did you mean chkrootkit\?/);
    const elsewhere = await runCli([...args, '--scanners', 'testssl']);
    expect(elsewhere.code).toBe(2);
    expect(elsewhere.stderr).toMatch(/--scanners testssl: runs on service targets, not in scan host/);
  }, 60_000);
});
