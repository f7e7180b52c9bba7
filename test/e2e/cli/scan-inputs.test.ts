import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { Report } from '../../../core/model/index.js';
import { runCli } from './run-cli.js';

const json = (stdout: string) => Report.parse(JSON.parse(stdout));
let dir: string;

beforeAll(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'seco-inputs-')));
});

describe('kubectl-seco scan -f on awkward inputs', () => {
  it('scans a ConfigMap volume of symlinked manifests and gates on its findings', async () => {
    // kubelet's layout: pod.yaml → ..data/pod.yaml, ..data → ..<timestamp>/
    const volume = join(dir, 'volume');
    mkdirSync(join(volume, '..2026_12_06_04_22_25.1'), { recursive: true });
    copyFileSync('test/fixtures/cli/privileged-pod.yaml', join(volume, '..2026_12_06_04_22_25.1/pod.yaml'));
    symlinkSync('..2026_12_06_04_22_25.1', join(volume, '..data'));
    symlinkSync('..data/pod.yaml', join(volume, 'pod.yaml'));
    const { code, stdout } = await runCli(['scan', '-f', volume, '--fail-on', 'low', '-o', 'json']);
    expect(code).toBe(1);
    const report = json(stdout);
    expect(report.resources).toEqual([expect.objectContaining({ kind: 'Pod', name: 'root-shell' })]);
    expect(report.problems).toEqual([]);
  });

  it('refuses a FIFO with a clear error and exit 2 instead of hanging', async () => {
    const fifo = join(dir, 'pipe.yaml');
    execFileSync('mkfifo', [fifo]);
    const { code, stderr } = await runCli(['scan', '-f', fifo]);
    expect(code).toBe(2);
    expect(stderr).toContain(`${fifo}: refused: a FIFO (named pipe)`);
  });

  it('reports a symlink leaving the directory given, with exit 2, and does not read through it', async () => {
    const tree = join(dir, 'tree');
    mkdirSync(tree);
    copyFileSync('test/fixtures/cli/restricted-pod.yaml', join(tree, 'ok.yaml'));
    symlinkSync(join(process.cwd(), 'test/fixtures/cli/privileged-pod.yaml'), join(tree, 'elsewhere.yaml'));
    const { code, stdout } = await runCli(['scan', '-f', tree, '-o', 'json']);
    expect(code).toBe(2);
    const report = json(stdout);
    expect(report.problems).toEqual([
      {
        source: join(tree, 'elsewhere.yaml'),
        message: expect.stringMatching(
          /^symlink leads outside the paths given \(to .*privileged-pod\.yaml\)/,
        ),
      },
    ]);
    expect(report.findings.some((f) => f.resource.name === 'root-shell')).toBe(false);
  });

  it('scans a 12 MB file of 130k small documents without overflowing the stack', async () => {
    const file = join(dir, 'many.yaml');
    const docs: string[] = [];
    for (let i = 0; i < 130_000; i++)
      docs.push(`---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings-${i}\n  namespace: ns\n`);
    docs.push(
      '---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: last\n  namespace: ns\nspec:\n  containers:\n    - name: c\n      image: busybox:1.36\n      securityContext:\n        privileged: true\n',
    );
    writeFileSync(file, docs.join(''));
    expect(statSync(file).size).toBeGreaterThan(10 * 1024 * 1024);
    const { code, stdout, stderr } = await runCli(['scan', '-f', file, '-o', 'json']);
    expect(stderr).not.toContain('RangeError');
    expect(code).toBe(0);
    const report = json(stdout);
    // ConfigMaps are read now (credentials in their data: configmap-secret), so none is skipped.
    expect(report.skippedKinds).toEqual({});
    expect(report.findings.some((f) => f.ruleId === 'pss-baseline-privileged')).toBe(true);
  }, 120_000);

  it('scans a file of 200k documents and renders the table', async () => {
    const file = join(dir, '200k.yaml');
    const docs: string[] = [];
    for (let i = 0; i < 200_000; i++) docs.push(`---\nkind: Widget\nmetadata:\n  name: w${i}\n`);
    writeFileSync(file, docs.join(''));
    const { code, stdout, stderr } = await runCli(['scan', '-f', file]);
    expect(stderr).not.toContain('RangeError');
    expect(code).toBe(0);
    expect(stdout).toContain('No findings.');
  }, 120_000);
  it("finishes a policy whose pattern backtracks exponentially on a manifest's value (linear-time fallback)", async () => {
    // `^(a|aa)+$` against sixty a's and a '!': a backtracking matcher tries every split (hours); RE2,
    // and so the API server, answers at once. core/service/linear-regexp.ts, set by the CLI's main().
    const fixture = 'test/fixtures/admission/redos';
    const { code, stdout } = await runCli([
      'scan',
      '-f',
      `${fixture}/manifests.yaml`,
      '--policy',
      `${fixture}/policy.yaml`,
      '-o',
      'json',
    ]);
    expect(code).toBe(0);
    const report = json(stdout);
    expect(report.problems).toEqual([]);
    expect(report.findings.filter((f) => f.ruleId === 'owner-annotation-format')).toEqual([
      expect.objectContaining({
        title: "owner must be a run of a's",
        resource: expect.objectContaining({ name: 'hostile-owner' }),
      }),
    ]);
  }, 60_000);
});
