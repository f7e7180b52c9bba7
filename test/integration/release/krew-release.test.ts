import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { type ReleaseResult, releaseKrew } from '../../../tools/release/release-krew.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
const SYSTEM_PATH = ['/usr/local/bin', '/usr/bin', '/bin'];
const KUBECTL = '/usr/bin/kubectl';

describe('krew release (linux/amd64)', () => {
  let work: string;
  let unpacked: string;
  let result: ReleaseResult;
  // PATH a user would have: the unpacked plugin, the directory of the node running the tests, system dirs.
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'seco-krew-'));
    result = await releaseKrew({ repoRoot, outDir: join(work, 'release'), platforms: ['linux/amd64'] });
    unpacked = join(work, 'unpacked');
    execFileSync('mkdir', ['-p', unpacked]);
    execFileSync('tar', ['-xzf', result.archives[0]?.path ?? '', '-C', unpacked]);
    env = {
      PATH: [unpacked, dirname(process.execPath), ...SYSTEM_PATH].join(delimiter),
      HOME: work,
      KUBECONFIG: join(work, 'no-kubeconfig'),
    };
  }, 120_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const run = (args: string[]) =>
    spawnSync(join(unpacked, 'kubectl-seco'), args, {
      cwd: unpacked,
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('names the archive by version and platform, and the manifest carries its sha256', () => {
    const archive = result.archives[0];
    expect(archive?.path).toMatch(
      new RegExp(`kubectl-seco_${version.replace(/\./g, '\\.')}_linux_amd64\\.tar\\.gz$`),
    );
    const sha256 = createHash('sha256')
      .update(readFileSync(archive?.path ?? ''))
      .digest('hex');
    const manifest = parse(readFileSync(result.manifestPath, 'utf8')) as {
      spec: { version: string; platforms: { sha256: string; uri: string; bin: string }[] };
    };
    expect(manifest.spec.version).toBe(`v${version}`);
    expect(manifest.spec.platforms).toHaveLength(1);
    expect(manifest.spec.platforms[0]?.sha256).toBe(sha256);
    expect(manifest.spec.platforms[0]?.uri.endsWith(`/kubectl-seco_${version}_linux_amd64.tar.gz`)).toBe(
      true,
    );
    expect(existsSync(join(unpacked, manifest.spec.platforms[0]?.bin ?? ''))).toBe(true);
  });

  it('ships the data files beside the bundle, and not the native addon', () => {
    for (const f of [
      'core/feedback/rules',
      'core/runtime/rules',
      'manifests/kustomization.yaml',
      'examples/demo-app',
    ])
      expect(existsSync(join(unpacked, f))).toBe(true);
    expect(existsSync(join(unpacked, 'node_modules/seco-proc-connector'))).toBe(false);
  });

  it('runs --version and --help from the unpacked archive', () => {
    const v = run(['--version']);
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
    expect(v.stdout).toContain(`seco/${version}`);
    const help = run(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/scan/);
    expect(help.stdout).toMatch(/install/);
  });

  it('scans the shipped example, outside the repository', () => {
    const hardened = run(['scan', '-f', 'examples/demo-app/hardened', '-o', 'json']);
    expect(hardened.status).toBe(0);
    const report = JSON.parse(hardened.stdout) as {
      schemaVersion: string;
      resources: unknown[];
      findings: unknown[];
    };
    expect(report.schemaVersion).toBe('seco.report/v1');
    expect(report.resources.length).toBeGreaterThan(0);
    expect(report.findings).toEqual([]);
    const common = run(['scan', '-f', 'examples/demo-app/common', '-o', 'json']);
    expect((JSON.parse(common.stdout) as { findings: unknown[] }).findings.length).toBeGreaterThan(0);
  });

  it('finds its runtime rules and runs without the native addon', () => {
    const r = run(['runtime', '--local', '--duration', '1', '-o', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/polling \/proc/);
  });

  it('is discovered and run by kubectl as a plugin', () => {
    const list = spawnSync(KUBECTL, ['plugin', 'list'], { env, encoding: 'utf8' });
    expect(list.stdout).toContain(join(unpacked, 'kubectl-seco'));
    const v = spawnSync(KUBECTL, ['seco', '--version'], {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(v.status).toBe(0);
    expect(v.stdout).toContain(`seco/${version}`);
  });
});
