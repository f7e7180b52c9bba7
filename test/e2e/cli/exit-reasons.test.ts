import { describe, expect, it } from '@jest/globals';
import { Report } from '../../../core/model/index.js';
import { runCli } from './run-cli.js';

const POD = 'test/fixtures/cli/privileged-pod.yaml';

describe('every non-zero exit says why', () => {
  for (const format of ['table', 'json', 'yaml']) {
    it(`exit 2 names the unreadable file on stderr with -o ${format}`, async () => {
      const { code, stderr } = await runCli(['scan', '-f', '/missing.yaml', '-f', POD, '-o', format]);
      expect(code).toBe(2);
      expect(stderr).toContain('error: /missing.yaml: cannot read: no such file or directory (ENOENT)');
      expect(stderr).toContain('incomplete scan: 1 problem');
    });
  }

  it('any command error is said in words: system error codes spelled out once', async () => {
    const { code, stderr } = await runCli(['scan', 'image', 'docker-archive:/no/such.tar']);
    expect(code).toBe(2);
    const message = stderr.replace(/\s*\n\s*›\s*/g, ' ');
    expect(message).toContain(
      'docker-archive:/no/such.tar: no such file or directory (ENOENT): /no/such.tar',
    );
    expect(message).not.toContain('ENOENT:');
  });

  it('the table of an incomplete scan says so and lists what was not scanned', async () => {
    const { stdout } = await runCli(['scan', '-f', '/missing.yaml', '-f', POD]);
    expect(stdout).toContain('INCOMPLETE SCAN: 1 problem;');
    expect(stdout).toContain('  - /missing.yaml: cannot read: no such file or directory (ENOENT)');
  });

  it('--fail-on on findings hidden by --severity: the summary counts them and says why the exit is 1', async () => {
    const { code, stdout, stderr } = await runCli([
      'scan',
      '-f',
      POD,
      '--severity',
      'low',
      '--fail-on',
      'high',
    ]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/Findings: 0 critical, 0 high, 0 medium, \d+ low/);
    expect(stdout).toMatch(/Shown: low \(--severity\)\. Not shown: 1 high, \d+ medium\./);
    expect(stdout).toContain(
      '--fail-on high: 1 open finding at or above high, 1 of them not shown because of --severity',
    );
    expect(stderr).toContain('--fail-on high: 1 open finding at or above high, 1 of them not shown');
  });

  it('-o json records what --severity left out', async () => {
    const { stdout } = await runCli(['scan', '-f', POD, '--severity', 'low', '-o', 'json']);
    const report = Report.parse(JSON.parse(stdout));
    expect(report.summary.high).toBe(0);
    expect(report.filtered).toEqual({
      severities: ['low'],
      hidden: expect.objectContaining({ high: 1, low: 0 }),
    });
  });

  it('a table piped with no $COLUMNS is 100 columns wide, and follows $COLUMNS when set', async () => {
    const wide = await runCli(['scan', '-f', 'examples/demo-app/common'], { env: { COLUMNS: '' } });
    const narrow = await runCli(['scan', '-f', 'examples/demo-app/common'], { env: { COLUMNS: '70' } });
    const longest = (text: string) => Math.max(...text.split('\n').map((l) => l.length));
    expect(longest(wide.stdout)).toBeLessThanOrEqual(100);
    expect(longest(wide.stdout)).toBeGreaterThan(80);
    expect(longest(narrow.stdout)).toBeLessThanOrEqual(70);
  });
});
