import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { runCli } from './run-cli.js';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'seco-completion-'));
let env: NodeJS.ProcessEnv;
const script = (shell: string) => join(work, `completion.${shell}`);

beforeAll(async () => {
  for (const shell of ['bash', 'zsh', 'fish']) {
    const { code, stdout } = await runCli(['completion', shell]);
    expect(code).toBe(0);
    writeFileSync(script(shell), stdout);
  }
  // kubectl finds kubectl-seco and kubectl_complete-seco on PATH, as after an install.
  const bin = join(work, 'bin');
  mkdirSync(bin);
  symlinkSync(resolve('bin/kubectl-seco.js'), join(bin, 'kubectl-seco'));
  symlinkSync(resolve('bin/kubectl_complete-seco'), join(bin, 'kubectl_complete-seco'));
  const system = (process.env.PATH ?? '').split(':').filter((d) => d !== '' && !d.includes('node_modules'));
  env = { ...process.env, PATH: [bin, ...system].join(':'), KUBECONFIG: join(bin, 'none'), NO_COLOR: '1' };
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** What bash's completion function offers for the words typed after `kubectl-seco` (the last being typed). */
async function bashComplete(typed: string[]): Promise<string[]> {
  const words = ['kubectl-seco', ...typed].map((w) => `'${w}'`).join(' ');
  const { stdout } = await run(
    'bash',
    [
      '-c',
      `source '${script('bash')}'; COMP_WORDS=(${words}); COMP_CWORD=${typed.length}; _kubectl_seco; printf '%s\\n' "\${COMPREPLY[@]}"`,
    ],
    { env },
  );
  return stdout.split('\n').filter(Boolean);
}

describe('kubectl seco completion', () => {
  it('bash: registers a completion for kubectl-seco', async () => {
    const { stdout } = await run(
      'bash',
      ['-c', `source <(cat '${script('bash')}'); complete -p kubectl-seco`],
      { env },
    );
    expect(stdout.trim()).toBe('complete -o default -F _kubectl_seco kubectl-seco');
  });

  it('bash: commands, subcommands, flags of the command typed, and fixed flag values', async () => {
    expect(await bashComplete(['sc'])).toEqual(['scan']);
    expect(await bashComplete(['db', ''])).toEqual(['import', 'status']);
    expect(await bashComplete(['scan', '-f', 'app.yaml', '-o', 's'])).toEqual(['sarif']);
    expect(await bashComplete(['scan', 'image', '--pl'])).toEqual(['--platform']);
    expect(await bashComplete(['scan', '--fail-on', ''])).toEqual([
      'critical',
      'high',
      'medium',
      'low',
      'info',
    ]);
    // flags of `scan`, not of `scan image`
    expect(await bashComplete(['scan', '--fi'])).toEqual(['--filename']);
  });

  it('zsh: the same words through bashcompinit', async () => {
    const { stdout } = await run(
      'zsh',
      [
        '-f',
        '-c',
        `source '${script('zsh')}'; print -r -- \${_comps[kubectl-seco]}; setopt ksharrays; COMP_WORDS=(kubectl-seco scan -o ''); COMP_CWORD=3; _kubectl_seco; print -r -- "\${COMPREPLY[@]}"`,
      ],
      { env },
    );
    expect(stdout.split('\n')).toEqual([
      '_bash_complete -o default -F _kubectl_seco',
      'table json yaml sarif',
      '',
    ]);
  });

  it('fish: subcommands with descriptions, flag values', async () => {
    const complete = async (line: string) =>
      (await run('fish', ['--no-config', '-c', `source '${script('fish')}'; complete -C'${line}'`], { env }))
        .stdout;
    expect(await complete('kubectl-seco db ')).toMatch(/^import\tImport OSV advisories/m);
    expect((await complete('kubectl-seco scan -o ')).split('\n').map((l) => l.split('\t')[0])).toEqual([
      'json',
      'sarif',
      'table',
      'yaml',
      '',
    ]);
  });

  it('kubectl seco <TAB>: the real kubectl asks kubectl_complete-seco, which answers with __complete', async () => {
    const first = await run('kubectl', ['__complete', 'seco', 'sc'], { env });
    expect(first.stdout).toMatch(/^scan\tScan an application/m);
    const values = await run('kubectl', ['__complete', 'seco', 'scan', '-o', ''], { env });
    expect(values.stdout.split('\n')).toEqual(['table', 'json', 'yaml', 'sarif', ':4', '']);
  });

  it('refuses a shell it has no script for, naming the ones it has', async () => {
    const { code, stderr } = await runCli(['completion', 'tcsh']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/bash, zsh, fish/);
  });
});
