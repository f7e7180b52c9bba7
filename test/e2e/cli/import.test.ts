import { describe, expect, test } from '@jest/globals';
import { runCli } from './run-cli.js';

const fixture = (name: string) => `test/fixtures/import/${name}`;

describe('kubectl seco import (built CLI)', () => {
  test('prints a seco report of other tools’ JSON and gates with --fail-on', async () => {
    const result = await runCli([
      'import',
      fixture('trivy-image.json'),
      fixture('kube-bench.json'),
      '--node',
      'w1',
      '-o',
      'json',
      '--fail-on',
      'high',
    ]);
    const report = JSON.parse(result.stdout);
    expect(report.schemaVersion).toBe('seco.report/v1');
    expect(report.summary).toMatchObject({ critical: 1, high: 1, medium: 1, low: 2 });
    // The trivy file's broken entry is a warning, not an input error: --fail-on decides (a critical secret).
    expect(result.code).toBe(1);
    const quiet = await runCli([
      'import',
      fixture('kube-bench.json'),
      '--fail-on',
      'critical',
      '-o',
      'sarif',
    ]);
    expect(quiet.code).toBe(0);
    expect(JSON.parse(quiet.stdout).version).toBe('2.1.0');
  }, 60_000);

  test('reads stdin with "-" and exits 2 on a file it cannot recognise', async () => {
    const result = await runCli(['import', '-', '-o', 'json'], { stdin: '{"hello": 1}' });
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout).problems[0].message).toMatch(/not a format seco imports/);
  }, 60_000);
});
