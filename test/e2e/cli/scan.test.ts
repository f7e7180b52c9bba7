import { mkdtempSync, readFileSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { Report } from '../../../core/model/index.js';
import { runCli } from './run-cli.js';

const F = 'test/fixtures/cli';
const json = (stdout: string) => Report.parse(JSON.parse(stdout));

describe('kubectl-seco scan -f', () => {
  it('exits 0 and reports findings when no --fail-on is given', async () => {
    const { code, stdout } = await runCli(['scan', '-f', `${F}/privileged-pod.yaml`]);
    expect(code).toBe(0);
    expect(stdout).toContain('pss-baseline-privileged');
    expect(stdout).toMatch(/Findings: 0 critical, \d+ high/);
  });

  it('exits 1 when an open finding meets --fail-on, 0 when none does', async () => {
    expect((await runCli(['scan', '-f', `${F}/privileged-pod.yaml`, '--fail-on', 'high'])).code).toBe(1);
    expect((await runCli(['scan', '-f', `${F}/restricted-pod.yaml`, '--fail-on', 'low'])).code).toBe(0);
  });

  it('prints a schema-valid seco.report/v1 with -o json, and the same data with -o yaml', async () => {
    const { stdout } = await runCli(['scan', '-f', `${F}/privileged-pod.yaml`, '-o', 'json']);
    const report = json(stdout);
    expect(report.schemaVersion).toBe('seco.report/v1');
    expect(report.resources).toEqual([
      expect.objectContaining({ kind: 'Pod', name: 'root-shell', podSecurity: { level: 'privileged' } }),
    ]);
    const yaml = await runCli(['scan', '-f', `${F}/privileged-pod.yaml`, '-o', 'yaml']);
    expect(yaml.stdout).toContain('schemaVersion: seco.report/v1');
    expect(yaml.stdout).toContain('ruleId: pss-baseline-privileged');
  });

  it('reads manifests from stdin with -f -', async () => {
    const { code, stdout } = await runCli(['scan', '-f', '-', '-o', 'json'], {
      stdin: readFileSync(`${F}/privileged-pod.yaml`, 'utf8'),
    });
    expect(code).toBe(0);
    expect(
      json(stdout).findings.some((f) => f.ruleId === 'pss-baseline-privileged' && f.resource.file === '-'),
    ).toBe(true);
  });

  it('scans directories recursively, List items included, and counts unknown kinds', async () => {
    const { stdout } = await runCli(['scan', '-f', F, '-o', 'json']);
    const report = json(stdout);
    expect(report.skippedKinds).toEqual({ Widget: 2 });
    expect(report.findings.some((f) => f.ruleId === 'service-exposed' && f.resource.name === 'open')).toBe(
      true,
    );
  });

  it('names the file and line of unparsable YAML, still reports the other files, and exits 2', async () => {
    const { code, stdout, stderr } = await runCli([
      'scan',
      '-f',
      `${F}/broken.yaml`,
      '-f',
      `${F}/privileged-pod.yaml`,
    ]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/error: test\/fixtures\/cli\/broken\.yaml:[45]: invalid YAML/);
    expect(stdout).toContain('root-shell');
  });

  it('refuses a huge file and a binary file with clear messages', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seco-cli-'));
    writeFileSync(join(dir, 'huge.yaml'), '');
    truncateSync(join(dir, 'huge.yaml'), 100 * 1024 * 1024);
    writeFileSync(join(dir, 'tool.json'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00]));
    const { code, stderr } = await runCli(['scan', '-f', dir]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${join(dir, 'huge.yaml')}: refused: 104857600 bytes is larger than`);
    expect(stderr).toContain(`${join(dir, 'tool.json')}: refused: binary content`);
  });

  it('reports annotation and ignore-file suppressions as suppressed, and they do not fail the gate', async () => {
    const annotated = json((await runCli(['scan', '-f', `${F}/annotated.yaml`, '-o', 'json'])).stdout);
    const privileged = annotated.findings.find((f) => f.ruleId === 'pss-baseline-privileged')!;
    expect(privileged).toMatchObject({
      status: 'suppressed',
      suppression: { source: 'annotation', reason: 'node debugging pod, approved in SEC-101' },
    });
    expect(annotated.summary.suppressed).toBe(1);
    const ignored = await runCli([
      'scan',
      '-f',
      `${F}/privileged-pod.yaml`,
      '--ignore',
      `${F}/ignore.yaml`,
      '--fail-on',
      'high',
    ]);
    expect(ignored.code).toBe(0);
    expect(ignored.stdout).toContain('suppressed (ignore-file): approved debugging pod');
  });

  it('filters what is shown with --severity but gates on everything', async () => {
    const { code, stdout } = await runCli([
      'scan',
      '-f',
      `${F}/privileged-pod.yaml`,
      '--severity',
      'low',
      '--fail-on',
      'high',
      '-o',
      'json',
    ]);
    expect(code).toBe(1);
    expect(json(stdout).findings.every((f) => f.severity === 'low')).toBe(true);
  });

  it('exits 2 on usage errors: unknown flag, unknown severity, missing ignore file, cluster target', async () => {
    expect((await runCli(['scan', '-f', F, '--bogus'])).code).toBe(2);
    const sev = await runCli(['scan', '-f', F, '--severity', 'urgent']);
    expect(sev.code).toBe(2);
    expect(sev.stderr).toContain('unknown severity "urgent"');
    const ignore = await runCli(['scan', '-f', F, '--ignore', 'no/such/file.yaml']);
    expect(ignore.code).toBe(2);
    // oclif wraps the message with `›` margins: join it back into one line.
    expect(ignore.stderr.replace(/\s*\n\s*›\s*/g, ' ')).toContain(
      'cannot read ignore file no/such/file.yaml: no such file or directory (ENOENT)',
    );
    // A cluster target with no cluster to reach: said plainly, exit 2.
    const cluster = await runCli(['scan', 'shop/web'], { env: { KUBECONFIG: '', HOME: '/nonexistent' } });
    expect(cluster.code).toBe(2);
    expect(cluster.stderr).toContain('no kubeconfig');
    const both = await runCli(['scan', 'shop/web', '-f', F]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
  });
});

describe('kubectl-seco scan host', () => {
  it('reports CIS node checks for a host root, with every check outcome in JSON', async () => {
    const { code, stdout } = await runCli([
      'scan',
      'host',
      '--root',
      'test/fixtures/host/hardened/root',
      '--node',
      'n1',
      '-o',
      'json',
    ]);
    expect(code).toBe(0);
    const report = json(stdout);
    expect(report.target).toEqual({ kind: 'host', name: 'n1' });
    expect(report.checks?.find((c) => c.id === 'kubelet-anonymous-auth')).toMatchObject({ status: 'pass' });
  });
});
