import { execFile } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';

const run = promisify(execFile);
const KUBECTL = '/usr/bin/kubectl';
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  // kubectl discovers plugins as executables named kubectl-<name> on PATH.
  const bin = mkdtempSync(join(tmpdir(), 'seco-path-'));
  symlinkSync(resolve('bin/kubectl-seco.js'), join(bin, 'kubectl-seco'));
  // npm puts node_modules/.bin (which holds a kubectl-seco link too) on PATH; kubectl would warn that one
  // plugin overshadows the other, so the test's PATH holds only its own link and the system directories.
  const system = (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => dir !== '' && !dir.includes('node_modules'));
  env = {
    ...process.env,
    PATH: [bin, ...system].join(':'),
    KUBECONFIG: join(bin, 'no-kubeconfig'),
    NO_COLOR: '1',
  };
});

describe('kubectl plugin discovery (real kubectl)', () => {
  it('kubectl plugin list shows kubectl-seco', async () => {
    const { stdout } = await run(KUBECTL, ['plugin', 'list'], { env });
    expect(stdout).toMatch(/kubectl-seco$/m);
  });

  it('kubectl seco --help runs the plugin', async () => {
    const { stdout } = await run(KUBECTL, ['seco', '--help'], { env });
    expect(stdout).toContain('kubectl seco');
    expect(stdout).toContain('scan');
  });

  it('help says USAGE kubectl seco when a shell runs kubectl seco, kubectl-seco when it runs kubectl-seco', async () => {
    // The shell sets `_` to the command it starts; kubectl passes its environment on unchanged.
    const through = await run('bash', ['-c', 'kubectl seco scan --help'], { env });
    expect(through.stdout).toMatch(/^ {2}\$ kubectl seco scan \[TARGET\]/m);
    expect(through.stdout).toContain('$ kubectl seco scan -f examples/demo-app/common');
    const direct = await run('bash', ['-c', 'kubectl-seco scan --help'], { env });
    expect(direct.stdout).toMatch(/^ {2}\$ kubectl-seco scan \[TARGET\]/m);
  });

  it('kubectl seco version prints the client version through kubectl', async () => {
    const { stdout } = await run(KUBECTL, ['seco', 'version', '--client'], { env });
    expect(stdout).toMatch(/^Client Version: \d+\.\d+\.\d+ \(commit /);
  });

  it('a mistyped command through kubectl gets a suggestion with the kubectl form', async () => {
    const failed = await run(KUBECTL, ['seco', 'scna'], { env }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect((failed as { code: number }).code).toBe(2);
    expect((failed as { stderr: string }).stderr).toContain(
      'unknown command "scna". Did you mean "kubectl seco scan"?',
    );
  });

  it('kubectl seco scan -f … -o json scans through kubectl', async () => {
    const { stdout } = await run(
      KUBECTL,
      ['seco', 'scan', '-f', 'test/fixtures/cli/privileged-pod.yaml', '-o', 'json'],
      { env },
    );
    expect(
      JSON.parse(stdout).findings.some((f: { ruleId: string }) => f.ruleId === 'pss-baseline-privileged'),
    ).toBe(true);
  });
});
