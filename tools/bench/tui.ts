import { execFile } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import type { TuiRun } from './tui-run.js';
import { writeBenchmarkSection } from './write-results.js';

/**
 * `npm run bench:tui [-- SECONDS] [-- --before DIST]`: the watch screen under 10,000 findings and 50
 * events/s (tui-run.tsx, one process per run). With `--before DIST` (an earlier commit's build) the two
 * builds run in turn, twice each, so both see the same load, and the table puts them side by side.
 * React's production build is chosen in each run process before anything loads React (tui-main.ts).
 */
const args = process.argv.slice(2);
const beforeAt = args.indexOf('--before');
const before = beforeAt >= 0 ? resolve(args[beforeAt + 1] ?? '') : undefined;
const seconds = Number(args.find((a, i) => /^\d+$/.test(a) && i !== beforeAt + 1) ?? 30);
const TARGET_P95_MS = 50;
const here = new URL('../..', import.meta.url).pathname;
const runner = new URL('./tui-main.js', import.meta.url).pathname;

async function runOnce(dist: string): Promise<TuiRun> {
  const { stdout } = await promisify(execFile)(process.execPath, [runner, String(seconds), dist], {
    maxBuffer: 64 * 2 ** 20,
  });
  const line = stdout.split('\n').findLast((l) => l.startsWith('{'));
  if (!line) throw new Error(`the run of ${dist} printed no result: ${stdout.slice(-500)}`);
  return JSON.parse(line) as TuiRun;
}

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : '-');
const stats = (values: number[]) =>
  `${f1(quantile(values, 0.5))} | ${f1(quantile(values, 0.95))} | ${f1(Math.max(...values))}`;

/** Several runs of one build, pooled. */
function pool(runs: TuiRun[]) {
  const keys = runs.flatMap((r) => r.keys);
  const seconds = runs.reduce((s, r) => s + r.seconds, 0);
  const frames = runs.reduce((s, r) => s + r.renderMs.length, 0);
  const cpuMs = runs.reduce((s, r) => s + r.cpuMs, 0);
  return {
    runs,
    renderMs: runs.flatMap((r) => r.renderMs),
    latency: keys.flatMap((k) => (k.ms === undefined ? [] : [k.ms])),
    latencyCpu: keys.flatMap((k) => (k.cpuMs === undefined ? [] : [k.cpuMs])),
    missed: keys.filter((k) => k.ms === undefined).map((k) => k.key),
    perKey: keys.reduce(
      (by, k) => (k.ms === undefined ? by : by.set(k.key, [...(by.get(k.key) ?? []), k.ms])),
      new Map<string, number[]>(),
    ),
    cpuShare: cpuMs / 10 / seconds,
    cpuPerFrame: cpuMs / Math.max(1, frames),
    peakRss: Math.max(...runs.map((r) => r.peakRss)),
    writes: runs.reduce((s, r) => s + r.writes, 0),
    bytes: runs.reduce((s, r) => s + r.bytes, 0),
  };
}

async function main(): Promise<void> {
  const startLoad = loadavg();
  const builds = before
    ? [
        { name: 'before', dist: before },
        { name: 'now', dist: here },
      ]
    : [];
  const runs = new Map<string, TuiRun[]>();
  for (const round of before ? [1, 2] : [1])
    for (const { name, dist } of builds.length ? builds : [{ name: 'now', dist: here }]) {
      console.error(`bench:tui: ${name} (${dist}), round ${round}, ${seconds} s`);
      runs.set(name, [...(runs.get(name) ?? []), await runOnce(dist)]);
    }
  const endLoad = loadavg();
  const pooled = [...runs].map(([name, r]) => ({ name, ...pool(r) }));
  const now = pooled.at(-1)!;
  const head = `| measure (ms) | ${pooled.map((p) => `${p.name} p50 | p95 | max`).join(' | ')} |`;
  const row = (what: string, values: (p: (typeof pooled)[number]) => number[]) =>
    `| ${what} | ${pooled.map((p) => stats(values(p))).join(' | ')} |`;
  const keyNames = [...now.perKey.keys()];
  const load = (l: number[]) => l.map((x) => x.toFixed(2)).join(', ');
  const body = [
    `Run on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average (uptime) at the start ${load(startLoad)}, at the end ${load(endLoad)}${startLoad[0]! > 1.5 ? " — the machine was shared with other sessions' builds and tests, so these are upper bounds" : ''}.`,
    '',
    `The watch screen (\`plugin/tui\`) drawn by Ink into a 160×45 terminal (a recording stdout, no tty), with ${(10_000).toLocaleString('en')} open findings in the store and runtime events arriving at 50/s (as \`watch\` does, the store draws keys at once and data at most every ${pooled.map((p) => `${p.runs[0]!.dataFrameMs} ms${p.runs[0]!.unseenFrameMs ? `, data the screen does not list every ${p.runs[0]!.unseenFrameMs} ms` : ''} (${p.name})`).join('; ')}); a key every 150 ms cycling through screens, filter typing, sort, severity, paging and help. ${before ? `Two builds, each run twice for ${seconds} s in turn (so both saw the same load): **before** is \`${before}\`, **now** this commit.` : `One run of ${seconds} s.`}`,
    '',
    head,
    `| --- | ${pooled.map(() => '---: | ---: | ---:').join(' | ')} |`,
    row('Ink render per frame (layout and output)', (p) => p.renderMs),
    row(
      `**key to screen** (first frame written showing the key's effect; target p95 ≤ ${TARGET_P95_MS})`,
      (p) => p.latency,
    ),
    row(
      'key to screen, CPU this process used meanwhile (about what the clock shows on a quiet machine)',
      (p) => p.latencyCpu,
    ),
    ...keyNames.map((k) => row(`— ${k}`, (p) => p.perKey.get(k) ?? [])),
    '',
    ...pooled.map(
      (p) =>
        `${p.name}: ${p.renderMs.length} frames, ${p.latency.length + p.missed.length} keys (${p.missed.length} never shown within 1 s${p.missed.length ? `: ${[...new Set(p.missed)].join(', ')}` : ''}); CPU (React and Ink together) ${p.cpuShare.toFixed(0)} % of one core, ${p.cpuPerFrame.toFixed(1)} ms per frame; ${p.writes} writes, ${(p.bytes / 2 ** 20).toFixed(1)} MiB written; peak RSS ${(p.peakRss / 2 ** 20).toFixed(0)} MiB.`,
    ),
  ].join('\n');
  writeBenchmarkSection('docs/benchmarks.md', 'Watch TUI (`npm run bench:tui`)', body);
  console.log(body);
}

await main();
