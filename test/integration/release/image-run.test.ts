import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { buildImage, type ImageBuild } from '../../../tools/release/image/build-image.js';
import { PLATFORMS } from '../../../tools/release/image/platforms.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { freePort } from '../../harness/registry/free-port.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { requireTool } from '../../harness/registry/required-tool.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';
import {
  type ImageContainer,
  startImageContainer,
  type UnpackedImage,
  unpackImage,
} from '../../harness/runc/run-image.js';
import { type RunningS3, s3CliFlags, startS3 } from '../../harness/s3/start-s3rver.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = `image-test-${'0123456789abcdef'.repeat(2)}`;

async function waitForReady(url: string, container: ImageContainer, ms: number): Promise<Response> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const response = await fetch(url).catch(() => undefined);
    if (response?.status === 200) return response;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} never answered 200; the container said:\n${container.output()}`);
}

/** The host's view of a container process: its uid line and whether its root is mounted read-only. */
function processFacts(pid: number): { uids: string; rootReadOnly: boolean } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const root = readFileSync(`/proc/${pid}/mountinfo`, 'utf8')
    .split('\n')
    .find((l) => l.split(' ')[4] === '/');
  return {
    uids: /^Uid:\s+(.*)$/m.exec(status)?.[1]?.trim() ?? '',
    rootReadOnly: /^ro(,|$)/.test(root?.split(' ')[5] ?? ''),
  };
}

describe('seco image, run with runc from a registry', () => {
  let work: string;
  let build: ImageBuild;
  let registry: RunningRegistry;
  let nats: RunningNats;
  let s3: RunningS3;
  let image: UnpackedImage;
  const containers: ImageContainer[] = [];
  let aggregatorPort: number;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'seco-image-run-'));
    [build, registry, nats, s3] = await Promise.all([
      buildImage({
        repoRoot,
        outDir: join(work, 'oci'),
        cacheDir: join(repoRoot, '.seco-cache'),
        platforms: [PLATFORMS['linux/amd64'], PLATFORMS['linux/arm64']],
      }),
      startRegistry(),
      startNats(),
      startS3('seco'),
    ]);
    await pushImage(join(work, 'oci'), build.tag, `${registry.host}/seco:${build.tag}`, undefined, {
      allPlatforms: true,
    });
    // Pulled back as a node would: this host's platform only.
    await run(
      'skopeo',
      [
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        `docker://${registry.host}/seco:${build.tag}`,
        `oci:${join(work, 'pulled')}:${build.tag}`,
      ],
      { timeout: 120_000 },
    );
    image = await unpackImage(join(work, 'pulled'), build.tag, join(work, 'bundle'));
    writeFileSync(join(work, 'tokens'), `${TOKEN}\n`);
  }, 300_000);

  afterAll(async () => {
    for (const c of containers) await c.remove();
    await Promise.all([registry?.stop(), nats?.stop(), s3?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('the registry serves one index for linux/amd64 and linux/arm64 under the version tag', async () => {
    const response = await fetch(`http://${registry.host}/v2/seco/manifests/${build.tag}`, {
      headers: { accept: 'application/vnd.oci.image.index.v1+json' },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(build.index.digest);
    const index = (await response.json()) as { manifests: { platform: { architecture: string } }[] };
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
  });

  it('the image config runs the launcher as 65532, labelled with version, revision, source and created', () => {
    expect(image.config.process.user).toEqual({ uid: 65532, gid: 65532 });
    expect(image.config.process.args).toEqual([
      '/usr/local/bin/node',
      '/opt/seco/dist/service/bundle/seco.mjs',
      '--help',
    ]);
    expect(image.config.process.env).toContain('NODE_ENV=production');
    const manifest = build.images.find((i) => i.platform === 'linux/amd64')?.manifest;
    const blob = (digest: string) =>
      JSON.parse(readFileSync(join(work, 'oci/blobs', ...digest.split(':')), 'utf8')) as Record<
        string,
        unknown
      >;
    const config = blob((blob(manifest?.digest ?? '') as { config: { digest: string } }).config.digest) as {
      created: string;
      config: { Labels: Record<string, string>; WorkingDir: string };
    };
    const created = new Date(build.sourceDateEpoch * 1000).toISOString();
    expect(config.created).toBe(created);
    expect(config.config.WorkingDir).toBe('/home/nonroot');
    // The bundle's build info (esbuild define) is this build's, not dist/build-info.json's.
    const bundleDir = join(image.rootfs, 'opt/seco/dist/service/bundle');
    const bundle = readdirSync(bundleDir)
      .filter((f) => f.endsWith('.mjs'))
      .map((f) => readFileSync(join(bundleDir, f), 'utf8'))
      .join('\n');
    expect(bundle).toContain(`{ version: "${build.tag}", commit: "${build.commit}" }`);
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.version': build.tag,
      'org.opencontainers.image.revision': build.commit,
      'org.opencontainers.image.source': 'https://github.com/seco-dev/seco',
      'org.opencontainers.image.created': created,
    });
  });

  it('runs the aggregator on a read-only root as user 65532: /readyz answers', async () => {
    aggregatorPort = await freePort();
    const aggregator = await startImageContainer(
      join(work, 'runc-state'),
      image,
      {
        args: [
          'aggregator',
          '--listen',
          `127.0.0.1:${aggregatorPort}`,
          '--metrics-listen',
          '127.0.0.1:0',
          '--kube-from',
          '/cluster',
          '--auth-token-file',
          '/etc/seco/tokens',
          '--nats',
          nats.url,
          ...s3CliFlags(s3),
        ],
        binds: [
          { source: join(repoRoot, 'examples/demo-cluster'), destination: '/cluster' },
          { source: join(work, 'tokens'), destination: '/etc/seco/tokens' },
        ],
      },
      work,
    );
    containers.push(aggregator);
    const ready = await waitForReady(`http://127.0.0.1:${aggregatorPort}/readyz`, aggregator, 60_000);
    expect(ready.status).toBe(200);
    const facts = processFacts(await aggregator.pid());
    expect(facts.uids.split(/\s+/)).toEqual(['65532', '65532', '65532', '65532']);
    expect(facts.rootReadOnly).toBe(true);
  }, 90_000);

  it('runs an agent per node (host root read-only) and a cluster scan completes through them', async () => {
    for (const node of ['node-a', 'node-b']) {
      const agent = await startImageContainer(
        join(work, 'runc-state'),
        image,
        {
          args: [
            'agent',
            '--node',
            node,
            '--host-root',
            '/host',
            '--proc-root',
            '/host/proc',
            '--cache-dir',
            '/tmp/cache',
            '--nats',
            nats.url,
            ...s3CliFlags(s3),
          ],
          binds: [{ source: '/', destination: '/host' }],
        },
        work,
      );
      containers.push(agent);
    }
    const scan = await run(
      process.execPath,
      [
        join(repoRoot, 'bin/kubectl-seco.js'),
        'scan',
        '-n',
        'wordsmith',
        '-l',
        'app',
        '--aggregator-url',
        `ws://127.0.0.1:${aggregatorPort}/ws`,
        '--token',
        TOKEN,
        '--scanners',
        'config,host',
        '-o',
        'json',
      ],
      { timeout: 120_000, maxBuffer: 64 * 2 ** 20 },
    ).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      // Exit 1 means findings at the failing severity: the scan completed.
      if (error.code === 1 && error.stdout) return { stdout: error.stdout, stderr: error.stderr ?? '' };
      throw new Error(
        `scan failed (${error.code}): ${error.stderr}\n${containers.map((c) => `--- ${c.id}\n${c.output()}`).join('\n')}`,
      );
    });
    const report = JSON.parse(scan.stdout) as {
      findings: { scanner: string; resource: { node?: string } }[];
      problems: { kind: string; message: string }[];
    };
    expect(new Set(report.findings.map((f) => f.scanner))).toEqual(new Set(['config', 'host']));
    const nodes = new Set(report.findings.filter((f) => f.scanner === 'host').map((f) => f.resource.node));
    expect(nodes).toEqual(new Set(['node-a', 'node-b']));
    expect(report.problems.filter((p) => p.kind === 'error')).toEqual([]);
    // The agent logs "taking jobs" once its runtime watcher is up: the image's addon loaded (as uid 65532
    // without NET_ADMIN the kernel then refuses the connector, and the watcher polls /proc).
    const agents = containers.slice(1);
    const deadline = Date.now() + 20_000;
    while (agents.some((a) => !a.output().includes('taking jobs from')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 200));
    for (const agent of agents) {
      expect(agent.output()).toContain('taking jobs from');
      expect(agent.output()).not.toContain('addon not built');
    }
  }, 180_000);

  // No arm64 machine here: the arm64 image, pulled from the registry, runs its own node with its own
  // libraries (qemu-user's -L makes the rootfs the dynamic loader's root) and loads its arm64 addon.
  it('the linux/arm64 image runs its launcher and loads its addon under qemu-aarch64', async () => {
    requireTool('qemu-aarch64', 'qemu-user');
    await run(
      'skopeo',
      [
        'copy',
        '--quiet',
        '--src-tls-verify=false',
        '--override-arch',
        'arm64',
        `docker://${registry.host}/seco:${build.tag}`,
        `oci:${join(work, 'pulled-arm64')}:${build.tag}`,
      ],
      { timeout: 120_000 },
    );
    const arm = await unpackImage(join(work, 'pulled-arm64'), build.tag, join(work, 'bundle-arm64'));
    const node = [arm.config.process.args[0] ?? '', arm.config.process.args[1] ?? ''].map((p) =>
      join(arm.rootfs, p),
    );
    const qemu = (args: string[]) =>
      run('qemu-aarch64', ['-L', arm.rootfs, ...args], { timeout: 120_000, env: { PATH: '/usr/bin:/bin' } });
    const help = await qemu([...node, 'agent', '--help']);
    expect(help.stdout).toMatch(/^seco-agent — /);
    const addon = join(arm.rootfs, 'opt/seco/node_modules/seco-proc-connector');
    const probe = await qemu([
      node[0]!,
      '-e',
      `const a = require(${JSON.stringify(addon)}); const b = require(${JSON.stringify(`${addon}/ebpf.cjs`)}); console.log(process.arch, process.version, typeof a.open, String(a.loadError), typeof b.open, b.objectBuilt, String(b.loadError))`,
    ]);
    // Both addons load: the connector's, and the eBPF sensor's libbpf loader with the image's arm64 libbpf.
    // (Attaching needs an arm64 kernel: qemu-user runs arm64 code on this x86 one.)
    expect(probe.stdout.trim()).toBe('arm64 v26.12.1 function undefined function true undefined');
  }, 180_000);

  it("seco's own image scan: Node.js and the Debian libraries in the SBOM, no secret, no root user", async () => {
    // A real (small) vuln DB: with none, a scan says the packages were not matched and exits 2.
    const vulnDb = join(work, 'vulndb');
    await run(
      process.execPath,
      [
        join(repoRoot, 'bin/kubectl-seco.js'),
        'db',
        'import',
        join(repoRoot, 'test/fixtures/vuln/osv/lodash'),
        '--db-dir',
        vulnDb,
      ],
      { timeout: 60_000 },
    );
    const scanImage = async (output: string) =>
      (
        await run(
          process.execPath,
          [
            join(repoRoot, 'bin/kubectl-seco.js'),
            'scan',
            'image',
            `oci-layout:${join(work, 'oci')}:${build.tag}`,
            '--vuln-db',
            vulnDb,
            '-o',
            output,
          ],
          { timeout: 120_000, maxBuffer: 64 * 2 ** 20 },
        )
      ).stdout;
    const sbom = JSON.parse(await scanImage('cyclonedx')) as {
      components: { name: string; version: string; purl: string }[];
    };
    const byName = new Map(sbom.components.map((c) => [c.name, c]));
    expect(byName.get('node')).toMatchObject({
      version: '26.12.1',
      purl: expect.stringMatching(/^pkg:generic\/node@26\.12\.1/),
    });
    const debian = build.images.find((i) => i.platform === 'linux/amd64')?.debian ?? [];
    expect(debian.map((d) => d.name)).toEqual(
      expect.arrayContaining(['libc6', 'libstdc++6', 'libgcc-s1', 'libatomic1', 'ca-certificates']),
    );
    for (const d of debian) {
      expect(byName.get(d.name)?.version).toBe(d.version);
      expect(byName.get(d.name)?.purl).toMatch(/^pkg:deb\/debian\//);
    }
    const report = JSON.parse(await scanImage('json')) as { findings: { ruleId: string }[] };
    const rules = report.findings.map((f) => f.ruleId);
    expect(rules).not.toContain('image-user-root');
    expect(rules).not.toContain('image-secret');
  }, 120_000);
});
