import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { type ReleaseResult, releaseKrew } from '../../../tools/release/release-krew.js';
import { archiveEntries, installedFiles } from '../../../tools/release/validate-krew-manifest.js';
import { buildLayeredImage } from '../image/layered-image.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string })
  .version;
const KUBECTL = '/usr/bin/kubectl';

interface KrewPlatform {
  selector: { matchLabels: { os: string; arch: string } };
  uri: string;
  sha256: string;
  bin: string;
  files: { from: string; to: string }[];
}
interface KrewManifest {
  spec: { version: string; caveats: string; platforms: KrewPlatform[] };
}

/**
 * What `kubectl krew install --manifest=… --archive=…` does (krew's internal/installation): check
 * the archive's sha256 against the manifest, unpack it, apply `files` into
 * store/<plugin>/<version>/, and link `bin` into <root>/bin as kubectl-<plugin>.
 */
async function krewInstall(krewRoot: string, manifest: KrewManifest, archive: string): Promise<string> {
  const platform = manifest.spec.platforms.find(
    (p) => p.selector.matchLabels.os === 'linux' && p.selector.matchLabels.arch === 'amd64',
  ) as KrewPlatform;
  const sha256 = createHash('sha256').update(readFileSync(archive)).digest('hex');
  if (sha256 !== platform.sha256) throw new Error(`sha256 ${sha256} ≠ manifest ${platform.sha256}`);
  const unpacked = join(krewRoot, 'download');
  mkdirSync(unpacked, { recursive: true });
  const tar = spawnSync('tar', ['-xzf', archive, '-C', unpacked]);
  if (tar.status !== 0) throw new Error(`tar: ${String(tar.stderr)}`);
  const store = join(krewRoot, 'store', 'seco', manifest.spec.version);
  const entries = await archiveEntries(readFileSync(archive));
  const { installed, errors } = installedFiles(platform.files, entries);
  if (errors.length > 0) throw new Error(errors.join('\n'));
  // Each archive file goes where the `files` operations put it (the validator's reading of krew's rules).
  for (const entry of entries)
    for (const target of installedFiles(platform.files, [entry]).installed) {
      mkdirSync(dirname(join(store, target)), { recursive: true });
      cpSync(join(unpacked, entry), join(store, target), { preserveTimestamps: true });
    }
  if (!installed.has(platform.bin)) throw new Error(`bin ${platform.bin} not installed`);
  mkdirSync(join(krewRoot, 'bin'), { recursive: true });
  symlinkSync(join(store, platform.bin), join(krewRoot, 'bin', 'kubectl-seco'));
  return join(krewRoot, 'bin');
}

describe('krew release (linux/amd64 single executable)', () => {
  let work: string;
  let result: ReleaseResult;
  let manifest: KrewManifest;
  let krewBin: string;
  // No node anywhere on PATH: the krew bin dir and a dir holding only a link to kubectl.
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'seco-krew-'));
    result = await releaseKrew({ repoRoot, outDir: join(work, 'release'), platforms: ['linux/amd64'] });
    manifest = parse(readFileSync(result.manifestPath, 'utf8')) as KrewManifest;
    krewBin = await krewInstall(join(work, 'krew'), manifest, result.archives[0]?.path ?? '');
    const kubectlOnly = join(work, 'kubectl-only');
    mkdirSync(kubectlOnly);
    symlinkSync(KUBECTL, join(kubectlOnly, 'kubectl'));
    env = {
      PATH: [krewBin, kubectlOnly].join(delimiter),
      HOME: work,
      XDG_CACHE_HOME: join(work, 'cache'),
      KUBECONFIG: join(work, 'no-kubeconfig'),
    };
  }, 600_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const kubectl = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
    spawnSync(KUBECTL, args, {
      cwd: work,
      env: { ...env, ...extraEnv },
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 2 ** 20,
    });

  it('names the archive by version and platform; the manifest carries its sha256 and says no Node is needed', () => {
    const archive = result.archives[0];
    expect(archive?.path).toMatch(
      new RegExp(`kubectl-seco_${version.replace(/\./g, '\\.')}_linux_amd64\\.tar\\.gz$`),
    );
    expect(readFileSync(`${archive?.path}.sha256`, 'utf8')).toMatch(new RegExp(`^${archive?.sha256}  `));
    expect(manifest.spec.version).toBe(`v${version}`);
    expect(manifest.spec.platforms).toHaveLength(1);
    expect(manifest.spec.platforms[0]?.bin).toBe('kubectl-seco');
    expect(manifest.spec.caveats).toMatch(/needs no\s+Node\.js/);
  });

  it('holds one executable and licence notices, no JavaScript, no data directories', async () => {
    const entries = await archiveEntries(readFileSync(result.archives[0]?.path ?? ''));
    expect(entries.sort()).toEqual([
      'LICENSE',
      'LICENSE.node',
      'THIRD-PARTY-NOTICES.txt',
      'kubectl-seco',
      'kubectl_complete-seco',
    ]);
    expect(result.archives[0]?.codeCache).toBe(true);
  });

  it('completes kubectl seco <TAB> through the kubectl_complete-seco of the archive, linked as completion --help says', () => {
    const store = dirname(readlinkSync(join(krewBin, 'kubectl-seco')));
    symlinkSync(join(store, 'kubectl_complete-seco'), join(krewBin, 'kubectl_complete-seco'));
    const completed = kubectl(['__complete', 'seco', 'scan', '-o', '']);
    expect(completed.stdout.split('\n')).toEqual(['table', 'json', 'yaml', 'sarif', ':4', '']);
    // and help names the command as it was run: through kubectl
    expect(kubectl(['seco', 'scan', '--help']).stdout).toMatch(/^ {2}\$ kubectl seco scan /m);
  });

  it('finds no node on the PATH it runs with', () => {
    expect(spawnSync('/bin/sh', ['-c', 'command -v node'], { env }).status).not.toBe(0);
  });

  it('is discovered by kubectl plugin list and runs as kubectl seco', () => {
    const list = kubectl(['plugin', 'list']);
    expect(list.stdout).toContain(join(krewBin, 'kubectl-seco'));
    const v = kubectl(['seco', '--version']);
    expect(v.stderr).toBe('');
    expect(v.status).toBe(0);
    expect(v.stdout).toContain(`seco/${version}`);
    const client = kubectl(['seco', 'version', '--client', '-o', 'json']);
    expect(client.stderr).toBe('');
    expect(client.status).toBe(0);
    const info = JSON.parse(client.stdout) as { clientVersion: { version: string; commit: string } };
    expect(info.clientVersion.version).toBe(version);
    expect(info.clientVersion.commit).toMatch(/^[0-9a-f]{40}$|^unknown$/);
    const help = kubectl(['seco', '--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/scan/);
    expect(help.stdout).toMatch(/install/);
  });

  it('starts with its V8 code cache accepted', () => {
    const r = kubectl(['seco', '--version'], { NODE_DEBUG_NATIVE: 'SEA' });
    expect(r.stderr).toMatch(/code cache accepted/);
  });

  it('reads image layers in worker threads, their script carried inside the executable', () => {
    const layered = buildLayeredImage();
    try {
      const reference = `oci-layout:${layered.layout}:${layered.tag}`;
      const released = kubectl(['seco', 'scan', 'image', reference, '-o', 'cyclonedx'], {
        NODE_DEBUG: 'worker',
      });
      expect(released.status).toBe(0);
      // Node's own worker_threads debug log: the layer workers started, and from source (eval), not a file.
      expect(released.stderr).toMatch(/created Worker with ID 1\b/);
      expect(released.stderr).toMatch(/doEval: classic/);
      const fromDist = spawnSync(
        process.execPath,
        [join(repoRoot, 'bin/kubectl-seco.js'), 'scan', 'image', reference, '-o', 'cyclonedx'],
        { env: { ...process.env, ...env, PATH: process.env.PATH }, encoding: 'utf8', timeout: 120_000 },
      );
      expect(fromDist.status).toBe(0);
      const purls = (stdout: string) =>
        (JSON.parse(stdout) as { components: { purl?: string }[] }).components.map((c) => c.purl).sort();
      expect(purls(released.stdout).length).toBeGreaterThan(100); // this machine's dpkg database
      expect(purls(released.stdout)).toEqual(purls(fromDist.stdout));
    } finally {
      layered.remove();
    }
  }, 240_000);

  it('scans a manifest with kubectl seco scan -f', () => {
    const common = kubectl(['seco', 'scan', '-f', join(repoRoot, 'examples/demo-app/common'), '-o', 'json']);
    expect(common.stderr).toBe('');
    const report = JSON.parse(common.stdout) as { schemaVersion: string; findings: unknown[] };
    expect(report.schemaVersion).toBe('seco.report/v1');
    expect(report.findings.length).toBeGreaterThan(0);
    const hardened = kubectl([
      'seco',
      'scan',
      '-f',
      join(repoRoot, 'examples/demo-app/hardened'),
      '-o',
      'json',
    ]);
    expect(hardened.status).toBe(0);
    expect((JSON.parse(hardened.stdout) as { findings: unknown[] }).findings).toEqual([]);
  });

  it('reads its embedded rules and manifests from the user cache, written once', () => {
    const r = kubectl(['seco', 'runtime', '--local', '--duration', '1', '-o', 'json']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/runtime watcher: sensor poll/);
    // --no-resolve: no registry lookups for the images' digests (no network here)
    const install = kubectl(['seco', 'install', '--dry-run', '--no-resolve']);
    expect(install.status).toBe(0);
    expect(install.stdout).toMatch(/kind: DaemonSet/);
    const extracted = readdirSync(join(work, 'cache', 'seco', 'resources'));
    expect(extracted).toHaveLength(1);
    const root = join(work, 'cache', 'seco', 'resources', extracted[0] ?? '');
    for (const f of ['core/runtime/rules', 'core/feedback/rules', 'manifests/kustomization.yaml'])
      expect(existsSync(join(root, f))).toBe(true);
    expect(readFileSync(join(root, 'node_modules/sql.js/dist/sql-wasm.wasm')).subarray(0, 4)).toEqual(
      Buffer.from([0, 0x61, 0x73, 0x6d]),
    );
  });

  it('builds the same archive twice (reproducible), cleaning only its own outputs', async () => {
    const outDir = join(work, 'release-again');
    mkdirSync(join(outDir, 'oci'), { recursive: true });
    writeFileSync(join(outDir, 'oci', 'index.json'), '{}');
    writeFileSync(join(outDir, 'kubectl-seco_0.0.1_linux_amd64.tar.gz'), 'stale');
    const again = await releaseKrew({ repoRoot, outDir, platforms: ['linux/amd64'] });
    expect(again.archives[0]?.sha256).toBe(result.archives[0]?.sha256);
    expect(existsSync(join(outDir, 'oci', 'index.json'))).toBe(true);
    expect(existsSync(join(outDir, 'kubectl-seco_0.0.1_linux_amd64.tar.gz'))).toBe(false);
  }, 600_000);
});
