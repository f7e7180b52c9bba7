import { describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

describe('help and mistakes', () => {
  it('names the topics by what they hold, not by one of their commands', async () => {
    const { stdout } = await runCli(['--help']);
    expect(stdout).toMatch(/^ {2}db +The local vulnerability database \(OSV advisories\)/m);
    expect(stdout).toMatch(/^ {2}scan +Scan manifests \(-f\), an image, a host, or an application/m);
  });

  it('lets oclif wrap descriptions: a paragraph is one line in the source, so no line ends mid-sentence', async () => {
    const { stdout } = await runCli(['scan', '--help'], { env: { OCLIF_COLUMNS: '200' } });
    // At 200 columns the first paragraph of the description fits on one line.
    expect(stdout).toContain(
      '  Local mode (-f): reads manifests from files, directories (recursively) or stdin (-f -), checks every object against the Pod Security Standards and hardening checks, and prints a report.',
    );
  });

  it('suggests the command meant for a mistyped one, and exits 2', async () => {
    const { code, stderr } = await runCli(['scna', '-f', 'x']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown command "scna". Did you mean "kubectl seco scan"?');
    const far = await runCli(['frobnicate']);
    expect(far.stderr).toContain('unknown command "frobnicate"');
    expect(far.stderr).not.toContain('Did you mean');
  });

  it('suggests the flag meant for a mistyped one, on the command it was given to', async () => {
    const { code, stderr } = await runCli(['scan', '--fil', 'x.yaml']);
    expect(code).toBe(2);
    expect(stderr).toContain('Nonexistent flag: --fil');
    expect(stderr).toContain('--fil: did you mean --filename?');
    const image = await runCli(['scan', 'image', 'x', '--fial-on', 'high']);
    expect(image.stderr).toContain('--fial-on: did you mean --fail-on?');
  });
});
