import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

// The published SARIF 2.1.0 schema (OASIS, JSON Schema draft-04), shipped by a dev dependency: no network needed.
const schema = JSON.parse(
  readFileSync('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json', 'utf8'),
);
// Both validators are CommonJS packages: load them as such.
const require = createRequire(import.meta.url);
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');
// The published schema has a language-tag pattern that is not valid under the `u` flag.
const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
addFormats(ajv);
const validate = ajv.compile(schema);

describe('-o sarif', () => {
  it('is valid SARIF 2.1.0 with results pointing at file and line', async () => {
    const { stdout } = await runCli([
      'scan',
      '-f',
      'examples/demo-app/common',
      '-f',
      'test/fixtures/cli/annotated.yaml',
      '-o',
      'sarif',
    ]);
    const log = JSON.parse(stdout);
    expect(validate(log)).toBe(true);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('seco');
    const result = run.results.find(
      (r: { ruleId: string; suppressions?: unknown[] }) =>
        r.ruleId === 'pss-baseline-privileged' && r.suppressions === undefined,
    );
    expect(result.locations[0].physicalLocation).toEqual({
      artifactLocation: { uri: 'examples/demo-app/common/aggregator.yaml' },
      region: { startLine: 30 },
    });
    expect(run.tool.driver.rules[result.ruleIndex].id).toBe('pss-baseline-privileged');
    expect(run.tool.driver.rules[result.ruleIndex].properties['security-severity']).toBe('8.0');
    const suppressed = run.results.find((r: { suppressions?: unknown[] }) => r.suppressions);
    expect(suppressed.suppressions).toEqual([
      { kind: 'inSource', justification: 'node debugging pod, approved in SEC-101' },
    ]);
  });

  it('an unreadable input: stderr says why, the SARIF carries it as a notification and executionSuccessful false (exit 2)', async () => {
    const { code, stdout, stderr } = await runCli(['scan', '-f', '/missing.yaml', '-o', 'sarif']);
    expect(code).toBe(2);
    expect(stderr).toContain('error: /missing.yaml: cannot read: no such file or directory (ENOENT)');
    expect(stderr).toMatch(/incomplete scan: 1 problem .*\(exit 2\)/);
    const log = JSON.parse(stdout);
    expect(validate(log)).toBe(true);
    expect(log.runs[0].invocations).toEqual([
      expect.objectContaining({
        executionSuccessful: false,
        toolExecutionNotifications: [
          expect.objectContaining({
            level: 'error',
            message: { text: '/missing.yaml: cannot read: no such file or directory (ENOENT)' },
          }),
        ],
      }),
    ]);
  });

  it('a complete scan records a successful invocation with no notifications', async () => {
    const { code, stdout } = await runCli([
      'scan',
      '-f',
      'test/fixtures/cli/restricted-pod.yaml',
      '-o',
      'sarif',
    ]);
    expect(code).toBe(0);
    const [invocation] = JSON.parse(stdout).runs[0].invocations;
    expect(invocation).toEqual(
      expect.objectContaining({ executionSuccessful: true, toolExecutionNotifications: [] }),
    );
  });

  it('the schema check rejects a broken log (so the test above can fail)', () => {
    expect(validate({ version: '2.1.0', runs: [{ tool: {} }] })).toBe(false);
  });
});
