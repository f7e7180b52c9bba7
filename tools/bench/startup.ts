import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BUILDER, fetchNode } from '../release/node-binaries.js';
import { releaseKrew } from '../release/release-krew.js';
import { writeBenchmarkSection } from './write-results.js';

/**
 * `npm run bench:startup`: wall time and peak RSS of the released single executable next to Node's
 * own start-up, each command RUNS times after one warm-up, medians written to docs/benchmarks.md.
 * Peak RSS comes from GNU time (`/usr/bin/time -f %M`, the child's wait4 rusage); wall time is taken
 * here around the spawn of /usr/bin/time, so it includes that fork (≈1 ms).
 */
const RUNS = 11;
const TIME = '/usr/bin/time';
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url)); // dist/tools/bench/ → root

interface Sample {
  ms: number;
  /** user + system CPU time: steadier than wall time on a shared machine */
  cpuMs: number;
  rssMiB: number;
}

interface Measure {
  label: string;
  argv: string[];
  target?: string;
}

async function runOnce(argv: string[], scratch: string): Promise<Sample> {
  const out = join(scratch, 'rusage');
  const start = process.hrtime.bigint();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(TIME, ['-f', '%M %U %S', '-o', out, ...argv], {
      cwd: repoRoot,
      stdio: 'ignore',
      env: { PATH: process.env.PATH, HOME: scratch, XDG_CACHE_HOME: join(scratch, 'cache') },
    });
    child.once('exit', resolve);
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}`);
  const [kib = 0, user = 0, sys = 0] = (readFileSync(out, 'utf8').trim().split('\n').pop() ?? '')
    .split(' ')
    .map(Number);
  return { ms, cpuMs: (user + sys) * 1000, rssMiB: kib / 1024 };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
};

async function measure(
  m: Measure,
  scratch: string,
): Promise<{ ms: number; cpuMs: number; rssMiB: number; spread: string }> {
  await runOnce(m.argv, scratch);
  const samples: Sample[] = [];
  for (let i = 0; i < RUNS; i++) samples.push(await runOnce(m.argv, scratch));
  const ms = samples.map((s) => s.ms);
  return {
    ms: median(ms),
    cpuMs: median(samples.map((s) => s.cpuMs)),
    rssMiB: median(samples.map((s) => s.rssMiB)),
    spread: `${Math.min(...ms).toFixed(0)}–${Math.max(...ms).toFixed(0)}`,
  };
}

/**
 * Unpacks the archive the way krew installs it and returns the executable. The one `--build-sea`
 * wrote is not measured: after that one large write its pages sit in the page cache in a form
 * (large folios, we believe; the kernel side was not pinned down) that makes every start map about
 * 35 MiB more of the file — 110 MiB peak RSS for `--help` against 74 MiB for the same bytes unpacked
 * with tar, or for the built file itself once its cached pages were dropped (posix_fadvise
 * DONTNEED). An installed copy is written by tar.
 */
function installFromArchive(archive: string, dir: string): string {
  mkdirSync(dir, { recursive: true });
  const r = spawnSync('tar', ['-xzf', archive, '-C', dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar -xzf ${archive} failed: ${r.stderr}`);
  return join(dir, 'kubectl-seco');
}

async function main(): Promise<void> {
  if (spawnSync(TIME, ['-f', '%M', 'true']).status !== 0)
    throw new Error(`${TIME} (GNU time, Debian package "time") is needed for peak RSS`);
  const scratch = mkdtempSync(join(tmpdir(), 'seco-bench-startup-'));
  try {
    const load = loadavg();
    const buildStart = Date.now();
    const release = await releaseKrew({
      repoRoot,
      outDir: join(scratch, 'release'),
      platforms: ['linux/amd64'],
    });
    const buildSeconds = (Date.now() - buildStart) / 1000;
    const exe = installFromArchive(release.archives[0]?.path ?? '', join(scratch, 'installed'));
    const node26 = (await fetchNode(BUILDER, join(repoRoot, '.seco-cache', 'node'))).binary;
    // The `version` command is another change's; measure `--version` until it is there.
    const versionArgs =
      spawnSync(exe, ['version', '--client'], { env: { HOME: scratch } }).status === 0
        ? ['version', '--client']
        : ['--version'];
    const measures: Measure[] = [
      { label: `\`node -e 0\` (machine's Node ${process.version})`, argv: [process.execPath, '-e', '0'] },
      { label: `\`node -e 0\` (Node ${BUILDER.version}, the executable's base)`, argv: [node26, '-e', '0'] },
      { label: 'executable `--help`', argv: [exe, '--help'], target: '≤ 150 ms, ≤ 80 MiB' },
      { label: `executable \`${versionArgs.join(' ')}\``, argv: [exe, ...versionArgs] },
      {
        label: 'executable `scan -f examples/demo-app/common`',
        argv: [exe, 'scan', '-f', 'examples/demo-app/common'],
      },
      {
        label: `dist: \`node bin/kubectl-seco.js --help\` (Node ${process.version})`,
        argv: [process.execPath, join(repoRoot, 'bin/kubectl-seco.js'), '--help'],
      },
    ];
    const rows: string[] = [];
    for (const m of measures) {
      const r = await measure(m, scratch);
      rows.push(
        `| ${m.label} | ${r.ms.toFixed(0)} ms | ${r.spread} ms | ${r.cpuMs.toFixed(0)} ms | ${r.rssMiB.toFixed(0)} MiB | ${m.target ?? '—'} |`,
      );
      console.log(rows.at(-1));
    }
    const a = release.archives[0];
    writeBenchmarkSection(
      join(repoRoot, 'docs/benchmarks.md'),
      'Start-up of the single executable (`npm run bench:startup`)',
      [
        `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB. Date: ${new Date().toISOString().slice(0, 10)}. Load average when the run began: ${load.map((l) => l.toFixed(2)).join(', ')} (the machine is shared).`,
        '',
        `Each command ran ${RUNS} times after one warm-up, one after another in the same run; medians. Wall time is measured around the spawn; CPU time (user + system, 10 ms resolution) and peak RSS (maxrss, file-backed pages of the executable included) are the child's, from GNU time.`,
        `The executable: linux/amd64, unpacked from its archive with \`tar\` as krew installs it, Node ${BUILDER.version} (stripped) with the minified bundle and a V8 code cache (${((a?.executableBytes ?? 0) / 2 ** 20).toFixed(1)} MiB; archive ${((a?.archiveBytes ?? 0) / 2 ** 20).toFixed(1)} MiB), built in ${buildSeconds.toFixed(0)} s.`,
        '',
        '| command | wall (median) | wall (min–max) | CPU (median) | peak RSS (median) | target |',
        '| --- | ---: | ---: | ---: | ---: | --- |',
        ...rows,
      ].join('\n'),
    );
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

await main();
