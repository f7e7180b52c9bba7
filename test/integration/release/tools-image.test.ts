import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ImageBuild } from '../../../tools/release/image/build-image.js';
import { debianRootfs } from '../../../tools/release/image/debian-rootfs.js';
import { PLATFORMS } from '../../../tools/release/image/platforms.js';
import { buildToolsImage } from '../../../tools/release/image/tools-image.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { freePort } from '../../harness/registry/free-port.js';
import { requireTool } from '../../harness/registry/required-tool.js';
import {
  type ImageContainer,
  startImageContainer,
  type UnpackedImage,
  unpackImage,
} from '../../harness/runc/run-image.js';
import { type RunningS3, s3CliFlags, startS3 } from '../../harness/s3/start-s3rver.js';

const run = promisify(execFile);
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = `tools-image-test-${'0123456789abcdef'.repeat(2)}`;
const seco = join(repoRoot, 'bin/kubectl-seco.js');
const platform = process.arch === 'arm64' ? PLATFORMS['linux/arm64'] : PLATFORMS['linux/amd64'];

async function until<T>(what: string, ms: number, probe: () => Promise<T | undefined>, log: () => string) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`${what} not within ${ms / 1000} s:\n${log()}`);
}

const SOURCE_DATE_EPOCH = 1_780_000_000;

/**
 * One image build shared by every case (the build is most of this file's time). Reproducibility is checked
 * where the tools image can differ from seco's own: its Debian layer, which a second mmdebstrap run from the
 * same pool and epoch must give byte for byte (the tar's digest is the layer's diff_id in the config). Its other
 * layers (Node.js, seco's bundle) and its config/manifest/index are made by the code that builds seco's image
 * from fixed inputs, whose two-build reproducibility image-reproducible.test.ts checks.
 */
describe('the tools image: its Debian layer reproducible, run with runc, taking tool jobs over NATS', () => {
  let work: string;
  let first: ImageBuild;
  let nats: RunningNats;
  let s3: RunningS3;
  let image: UnpackedImage;
  const containers: ImageContainer[] = [];
  let aggregator: ReturnType<typeof import('node:child_process').spawn> | undefined;
  let aggregatorOutput = '';

  beforeAll(async () => {
    requireTool('mmdebstrap', 'mmdebstrap');
    requireTool('dpkg-scanpackages', 'dpkg-dev');
    work = mkdtempSync(join(tmpdir(), 'seco-tools-image-'));
    const options = {
      repoRoot,
      cacheDir: join(repoRoot, '.seco-cache'),
      platforms: [platform],
      sourceDateEpoch: SOURCE_DATE_EPOCH,
      commit: 'tools-image-test',
    };
    first = await buildToolsImage({ ...options, outDir: join(work, 'oci-a') });
    [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
    image = await unpackImage(join(work, 'oci-a'), first.tag, join(work, 'bundle'));
  }, 3_600_000);

  afterAll(async () => {
    for (const c of containers) await c.remove();
    aggregator?.kill('SIGTERM');
    await Promise.all([nats?.stop(), s3?.stop()]);
    if (work) rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it('is reproducible: a second mmdebstrap run from the same pool and epoch gives the same Debian layer', async () => {
    const again = join(work, 'again');
    mkdirSync(again);
    const rootfs = await debianRootfs(join(repoRoot, '.seco-cache'), platform, SOURCE_DATE_EPOCH, again);
    // The image's config names each layer by the digest of its uncompressed tar (diff_ids): the same tar
    // gives the same gzip from the same writer, so comparing it to the tar is the layer comparison, minus a
    // gzip of ~90 MiB.
    const blob = (digest: string) => readFileSync(join(work, 'oci-a', 'blobs', ...digest.split(':')), 'utf8');
    const manifest = JSON.parse(blob(first.images[0]!.manifest.digest)) as { config: { digest: string } };
    const config = JSON.parse(blob(manifest.config.digest)) as { rootfs: { diff_ids: string[] } };
    const layerIndex = first.images[0]!.layers.findIndex((l) => l.name === 'debian');
    const tarDigest = await new Promise<string>((resolve, reject) => {
      const hash = createHash('sha256');
      createReadStream(rootfs.tar)
        .on('data', (chunk) => hash.update(chunk))
        .on('end', () => resolve(`sha256:${hash.digest('hex')}`))
        .on('error', reject);
    });
    expect(tarDigest).toBe(config.rootfs.diff_ids[layerIndex]);
    expect(rootfs.packages).toEqual(first.images[0]?.debian);
  }, 1_800_000);

  it("holds Debian's packages of every tool, and starts the tools runner as 65532 by default", () => {
    const names = first.images[0]?.debian.map((d) => d.name) ?? [];
    for (const tool of ['lynis', 'chkrootkit', 'rkhunter', 'clamav', 'yara', 'nmap', 'sslscan', 'testssl.sh'])
      expect(names).toContain(tool);
    expect(image.config.process.user).toEqual({ uid: 65532, gid: 65532 });
    expect(image.config.process.args).toEqual([
      '/usr/local/bin/node',
      '/opt/seco/dist/service/bundle/seco.mjs',
      'tools',
      '--serves=node',
    ]);
  });

  it('a scan with --scanners chkrootkit,lynis runs them in the container on each node, through NATS', async () => {
    requireTool('runc', 'runc');
    const port = await freePort();
    writeFileSync(join(work, 'tokens'), `${TOKEN}\n`);
    const { spawn } = await import('node:child_process');
    aggregator = spawn(
      process.execPath,
      [
        join(repoRoot, 'bin/seco-aggregator.js'),
        '--listen',
        `127.0.0.1:${port}`,
        '--metrics-listen',
        '127.0.0.1:0',
        '--kube-from',
        join(repoRoot, 'examples/demo-cluster'),
        '--auth-token-file',
        join(work, 'tokens'),
        '--nats',
        nats.url,
        ...s3CliFlags(s3),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    aggregator.stdout?.on('data', (d: Buffer) => (aggregatorOutput += d.toString()));
    aggregator.stderr?.on('data', (d: Buffer) => (aggregatorOutput += d.toString()));
    await until(
      'the aggregator',
      60_000,
      async () => ((await fetch(`http://127.0.0.1:${port}/readyz`)).status === 200 ? true : undefined),
      () => aggregatorOutput,
    );
    // Each node's host root: small, the Slapper worm's file on node-a's only.
    for (const node of ['node-a', 'node-b']) {
      const host = join(work, `host-${node}`);
      mkdirSync(join(host, 'tmp'), { recursive: true });
      mkdirSync(join(host, 'etc'), { recursive: true });
      writeFileSync(join(host, 'etc/os-release'), 'ID=debian\nVERSION_ID="12"\n');
      if (node === 'node-a') writeFileSync(join(host, 'tmp/.bugtraq'), 'slapper');
      const container = await startImageContainer(
        join(work, 'runc-state'),
        image,
        {
          // As the DaemonSet's tools container: root (the node tools read root-owned host files).
          args: [
            '--serves',
            'node',
            '--node',
            node,
            '--host-root',
            '/host',
            '--proc-root',
            '/proc',
            '--nats',
            nats.url,
          ],
          binds: [{ source: host, destination: '/host' }],
          user: { uid: 0, gid: 0 },
        },
        work,
      );
      containers.push(container);
    }
    const logs = () => [aggregatorOutput, ...containers.map((c) => `--- ${c.id}\n${c.output()}`)].join('\n');
    // Each runner heartbeats with the versions its binaries printed: `kubectl seco tools` shows them per node.
    const nodes = await until(
      'both tools runners in kubectl seco tools',
      120_000,
      async () => {
        const { stdout } = await run(
          process.execPath,
          [seco, 'tools', '-o', 'json', '--aggregator-url', `ws://127.0.0.1:${port}/ws`, '--token', TOKEN],
          { timeout: 60_000 },
        );
        const listed = (JSON.parse(stdout) as { nodes?: { node: string; tools: { tool: string }[] }[] })
          .nodes;
        return listed?.length === 2 && listed.every((n) => n.tools.length > 0) ? listed : undefined;
      },
      logs,
    );
    for (const node of nodes)
      expect(node).toMatchObject({
        serves: 'node',
        online: true,
        tools: expect.arrayContaining([
          expect.objectContaining({ tool: 'lynis', path: '/usr/sbin/lynis', version: '3.0.8' }),
          expect.objectContaining({ tool: 'chkrootkit', version: expect.stringMatching(/^0\.57/) }),
          expect.objectContaining({ tool: 'nmap', version: expect.stringMatching(/^7\.93/) }),
        ]),
      });
    const scan = await run(
      process.execPath,
      [
        seco,
        'scan',
        '-n',
        'wordsmith',
        '-l',
        'app',
        '--aggregator-url',
        `ws://127.0.0.1:${port}/ws`,
        '--token',
        TOKEN,
        '--scanners',
        // The node tools by name: the demo cluster's images and Services are not reachable from here.
        'chkrootkit,lynis',
        '-o',
        'json',
      ],
      { timeout: 1_500_000, maxBuffer: 64 * 2 ** 20 },
    ).catch((error: { code?: number; stdout?: string; stderr?: string }) => {
      if (error.code === 1 && error.stdout) return { stdout: error.stdout };
      throw new Error(`scan failed (${error.code}): ${error.stderr}\n${logs()}`);
    });
    const report = JSON.parse(scan.stdout) as {
      findings: { scanner: string; ruleId: string; resource: { node?: string } }[];
      problems: { kind: string; message: string }[];
    };
    expect(report.problems.filter((p) => p.kind === 'error')).toEqual([]);
    const slapper = report.findings.filter((f) => f.ruleId === 'tool:chkrootkit/slapper');
    expect(slapper.map((f) => f.resource.node)).toEqual(['node-a']);
    expect(new Set(report.findings.map((f) => f.scanner))).toContain('tool:lynis');
    // The executor inside audited each run: approved, started, ended, as JSON lines on the container's stderr.
    for (const c of containers)
      expect(c.output()).toMatch(/"event":"ended","tool":"chkrootkit"|"tool":"chkrootkit".*"event":"ended"/);
  }, 1_800_000);
});
