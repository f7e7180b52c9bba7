import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LAYER_LIMITS } from '../../core/image/layers/limits.js';
import { CDXGEN_VERSION, installCdxgen, runCdxgen } from './cdxgen-peer.js';
import { compareComponents } from './purl-diff.js';
import { writeBenchmarkSection } from './write-results.js';

interface Measure {
  seconds: number;
  packages: number;
  maxRssMiB: number;
}

// `--runs N`: fewer runs on a busy machine (each run of every row is one fresh process).
const runsFlag = process.argv.indexOf('--runs');
const RUNS = runsFlag > 0 ? Math.max(1, Number(process.argv[runsFlag + 1]) || 3) : 3;

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
}

function child(mode: 'scan' | 'scan-1' | 'walk' | 'peer', reference: string, purlsFile?: string): Measure {
  const args =
    mode === 'peer'
      ? ['dist/tools/bench/peer-child.js', reference]
      : ['dist/tools/bench/image-child.js', mode, reference, ...(purlsFile ? [purlsFile] : [])];
  const result = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (result.status !== 0) throw new Error(`bench child failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as Measure;
}

/**
 * Builds an OCI image from real trees on this machine, one layer per group of trees (as a Dockerfile
 * makes one per step): `umoci repack --refresh-bundle` after each group adds it as a layer of its own.
 */
function buildImage(
  dir: string,
  layers: Array<Array<[string, string]>>,
): { layout: string; blobs: string[]; bytes: number; files: number } {
  const layout = join(dir, 'layout');
  const bundle = join(dir, 'bundle');
  execFileSync('umoci', ['init', '--layout', layout]);
  execFileSync('umoci', ['new', '--image', `${layout}:bench`]);
  execFileSync('umoci', ['unpack', '--image', `${layout}:bench`, bundle]);
  for (const trees of layers) {
    for (const [from, to] of trees)
      cpSync(from, join(bundle, 'rootfs', to), { recursive: true, verbatimSymlinks: true });
    execFileSync('umoci', ['repack', '--refresh-bundle', '--image', `${layout}:bench`, bundle]);
  }
  const files = Number(
    execFileSync('sh', ['-c', 'find "$1" -type f | wc -l', 'sh', join(bundle, 'rootfs')], {
      encoding: 'utf8',
    }).trim(),
  );
  const bytes = Number(
    execFileSync('du', ['-sb', join(bundle, 'rootfs')], { encoding: 'utf8' }).split('\t')[0],
  );
  rmSync(bundle, { recursive: true, force: true });
  const blobDir = join(layout, 'blobs', 'sha256');
  const blobs = readdirSync(blobDir)
    .map((b) => join(blobDir, b))
    .filter((b) => statSync(b).size > 1024 * 1024);
  return { layout, blobs, bytes, files };
}

/** /usr/share's top-level folders in two groups of about equal size (a base layer and a docs/locale one). */
function splitUsrShare(): [Array<[string, string]>, Array<[string, string]>] {
  const sized = readdirSync('/usr/share')
    .map((name) => {
      const path = join('/usr/share', name);
      const size = Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
      return { path, size };
    })
    .sort((a, b) => b.size - a.size);
  const groups: [Array<[string, string]>, Array<[string, string]>] = [[], []];
  const totals = [0, 0];
  for (const { path, size } of sized) {
    const g = totals[0]! <= totals[1]! ? 0 : 1;
    groups[g].push([path, path.slice(1)]);
    totals[g]! += size;
  }
  return groups;
}

function timeTarFloor(blobs: string[]): number {
  const start = process.hrtime.bigint();
  for (const blob of blobs)
    execFileSync('tar', ['-tzf', blob], { stdio: ['ignore', 'ignore', 'inherit'], maxBuffer: 1 << 30 });
  return Number(process.hrtime.bigint() - start) / 1e9;
}

function peerVersion(): string {
  return (
    JSON.parse(readFileSync('node_modules/snyk-docker-plugin/package.json', 'utf8')) as { version: string }
  ).version;
}

function main(): void {
  const loadAtStart = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'seco-bench-image-'));
  try {
    const small = buildImage(join(dir, 'small'), [[['/var/lib/dpkg/status', 'var/lib/dpkg/status']]]);
    const [shareA, shareB] = splitUsrShare();
    const large = buildImage(join(dir, 'large'), [
      [['/var/lib/dpkg/status', 'var/lib/dpkg/status'], ...shareA],
      shareB,
      [['/usr/lib/python3/dist-packages', 'usr/lib/python3/dist-packages']],
      // The real folder: in a git worktree node_modules may be a symlink, which cpSync would copy as one.
      [[realpathSync('node_modules'), 'app/node_modules']],
    ]);
    const compressed = large.blobs.reduce((sum, b) => sum + statSync(b).size, 0);
    const ref = `oci-layout:${large.layout}:bench`;
    const scans = Array.from({ length: RUNS }, () => child('scan', ref));
    const sequential = Array.from({ length: RUNS }, () => child('scan-1', ref));
    const walks = Array.from({ length: RUNS }, () => child('walk', ref));
    const tars = Array.from({ length: RUNS }, () => timeTarFloor(large.blobs));
    const smallScan = child('scan', `oci-layout:${small.layout}:bench`);
    // The same image as a docker-archive (uncompressed layers), read by seco and by the peer.
    const archive = join(dir, 'large.docker.tar');
    execFileSync('skopeo', [
      'copy',
      '--quiet',
      `oci:${large.layout}:bench`,
      `docker-archive:${archive}:bench/large:latest`,
    ]);
    const secoPurls = join(dir, 'seco.purls');
    const secoArchives = Array.from({ length: RUNS }, () =>
      child('scan', `docker-archive:${archive}`, secoPurls),
    );
    const secoArchive = median(secoArchives.map((m) => m.seconds));
    const peers = Array.from({ length: RUNS }, () => child('peer', archive));
    const peer = median(peers.map((p) => p.seconds));
    installCdxgen();
    const cdxgen = runCdxgen(archive, join(dir, 'cdxgen.json'), false);
    const cdxgenDeep = runCdxgen(archive, join(dir, 'cdxgen-deep.json'), true);
    const rows = compareComponents(readFileSync(secoPurls, 'utf8').split('\n').filter(Boolean), cdxgen.purls);
    const scan = median(scans.map((s) => s.seconds));
    const scanOneAtATime = median(sequential.map((s) => s.seconds));
    const walk = median(walks.map((s) => s.seconds));
    const tar = median(tars);
    const mib = large.bytes / 2 ** 20;
    const lines = [
      `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}. Date: ${new Date().toISOString().slice(0, 10)}.`,
      '',
      `Load average (1, 5, 15 min) at the start: ${loadAtStart.map((l) => l.toFixed(1)).join(', ')}; at the end: ${loadavg()
        .map((l) => l.toFixed(1))
        .join(', ')} (other work on the machine slows every row alike, and the parallel rows most).`,
      '',
      `Image: built with umoci from real trees on this machine, in ${large.blobs.length} gzip layers as a Dockerfile would make them (the dpkg status and half of /usr/share; the other half; Python's dist-packages; this project's node_modules): ${large.files.toLocaleString('en')} files, ${mib.toFixed(0)} MiB uncompressed, ${(compressed / 2 ** 20).toFixed(0)} MiB compressed; ${scans[0]!.packages.toLocaleString('en')} packages found. Median of ${RUNS} runs, each in a fresh process.`,
      '',
      '| measure | time | throughput (uncompressed) | vs. floor |',
      '| --- | ---: | ---: | ---: |',
      `| floor: \`tar -tzf\` on each layer (GNU tar: gunzip + walk headers) | ${tar.toFixed(2)} s | ${(mib / tar).toFixed(0)} MiB/s | 1.00 |`,
      `| floor in Node: zlib gunzip + the tar reader (core/image/tar), nothing buffered | ${walk.toFixed(2)} s | ${(mib / walk).toFixed(0)} MiB/s | ${(tar / walk).toFixed(2)} |`,
      `| seco scan image, one layer at a time (\`layerConcurrency\` 1) | ${scanOneAtATime.toFixed(2)} s | ${(mib / scanOneAtATime).toFixed(0)} MiB/s | ${(tar / scanOneAtATime).toFixed(2)} |`,
      `| seco scan image (walk + all analyzers + secrets + SBOM inventory), ${DEFAULT_LAYER_LIMITS.layerConcurrency} layers at a time in ${Math.min(DEFAULT_LAYER_LIMITS.layerWorkers ?? 1, large.blobs.length)} worker threads | ${scan.toFixed(2)} s | ${(mib / scan).toFixed(0)} MiB/s | ${(tar / scan).toFixed(2)} |`,
      '',
      `Same image as a \`docker save\` archive (${(statSync(archive).size / 2 ** 20).toFixed(0)} MiB, uncompressed layers), seco next to the peer, snyk-docker-plugin ${peerVersion()} (the newest version whose dependencies this machine's npm registry serves):`,
      '',
      '| measure | time | peak RSS | time vs. seco |',
      '| --- | ---: | ---: | ---: |',
      `| seco scan image docker-archive: | ${secoArchive.toFixed(2)} s | ${median(secoArchives.map((m) => m.maxRssMiB)).toFixed(0)} MiB | 1.0× |`,
      `| snyk-docker-plugin scan({path: 'docker-archive:…'}) | ${peer.toFixed(2)} s | ${median(peers.map((p) => p.maxRssMiB)).toFixed(0)} MiB | ${(peer / secoArchive).toFixed(1)}× |`,
      `| OWASP cdxgen ${CDXGEN_VERSION} \`-t docker\` (one run) | ${cdxgen.seconds.toFixed(2)} s | ${cdxgen.maxRssMiB.toFixed(0)} MiB | ${(cdxgen.seconds / secoArchive).toFixed(1)}× |`,
      `| OWASP cdxgen ${CDXGEN_VERSION} \`-t docker --deep\` (one run) | ${cdxgenDeep.seconds.toFixed(2)} s | ${cdxgenDeep.maxRssMiB.toFixed(0)} MiB | ${(cdxgenDeep.seconds / secoArchive).toFixed(1)}× |`,
      '',
      'Components per purl type, seco next to cdxgen (`-t docker`), by type/name@version:',
      '',
      '| purl type | seco | cdxgen | both | only seco (first 3) | only cdxgen (first 3) |',
      '| --- | ---: | ---: | ---: | --- | --- |',
      ...rows.map(
        (r) =>
          `| ${r.type} | ${r.seco} | ${r.peer} | ${r.both} | ${r.onlySeco.slice(0, 3).join(', ')} | ${r.onlyPeer.slice(0, 3).join(', ')} |`,
      ),
      '',
      `Peak RSS: ${median(scans.map((s) => s.maxRssMiB)).toFixed(0)} MiB scanning the ${mib.toFixed(0)} MiB image, ${smallScan.maxRssMiB.toFixed(0)} MiB scanning a one-file image (${smallScan.packages} packages): memory follows what analyzers keep (package databases, manifests), not image size.`,
    ];
    writeBenchmarkSection('docs/benchmarks.md', 'Image scan (`npm run bench:image`)', lines.join('\n'));
    console.log(lines.join('\n'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
