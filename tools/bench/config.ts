import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { delimiter, join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { loadBlockYaml } from '../../core/config/input/block-yaml.js';
import {
  type ManifestObject,
  parseManifests,
  splitDocuments,
} from '../../core/config/input/parse-manifests.js';
import { readSources } from '../../core/config/input/read-sources.js';
import { loadWithJsYaml } from '../../core/config/input/yaml-positions.js';
import { CONFIG_CHECKS, CONTEXT_KINDS } from '../../core/config/registry.js';
import { scanConfig } from '../../core/config/scan-config.js';
import { scanManifestFiles } from '../../core/config/scan-manifest-files.js';
import { Suppressor } from '../../core/config/suppression.js';
import { buildReport } from '../../core/report/build-report.js';
import { boundHeapGrowth } from '../../core/service/heap-growth.js';
import { BENCH_POLICY_COUNT, benchPolicies } from './bench-policies.js';
import { generateManifests } from './generate-manifests.js';
import { writeBenchmarkSection } from './write-results.js';

const WORKLOADS = 10_000;
const RUNS = 3;
const TARGET = 5_000;
const noStdin = async () => Buffer.alloc(0);

/** One timed run: wall clock, this process's CPU time (all its threads), and garbage-collection pauses. */
interface Sample {
  wall: number;
  cpu: number;
  gc: number;
}

let gcMillis = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gcMillis += entry.duration;
}).observe({ entryTypes: ['gc'] });

async function timed(run: () => unknown): Promise<Sample> {
  const gcBefore = gcMillis;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await run();
  const wall = performance.now() - start;
  const cpu = process.cpuUsage(cpuBefore);
  // GC entries are delivered asynchronously: let the observer catch up before reading the total.
  await new Promise((resolve) => setImmediate(resolve));
  return { wall: wall / 1000, cpu: (cpu.user + cpu.system) / 1e6, gc: (gcMillis - gcBefore) / 1000 };
}

/** Median of each measure over `RUNS` runs after one warm-up run (which lets the JIT settle). */
async function repeat(run: () => unknown): Promise<Sample> {
  const samples: Sample[] = [];
  for (let i = 0; i <= RUNS; i++) {
    const sample = await timed(run);
    if (i > 0) samples.push(sample);
  }
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  return {
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    gc: median(samples.map((s) => s.gc)),
  };
}

/** One end-to-end run split by phase, to say where the time goes. */
async function phases(dir: string): Promise<Record<'read' | 'parse' | 'checks' | 'report', number>> {
  const phase = { read: 0, parse: 0, checks: 0, report: 0 };
  let t = performance.now();
  const read = await readSources([dir], noStdin);
  phase.read = performance.now() - t;
  t = performance.now();
  const objects = read.sources.flatMap((source) => parseManifests(source).objects);
  phase.parse = performance.now() - t;
  t = performance.now();
  const at = new Date();
  const scanned = scanConfig(objects, checkOptions(at));
  phase.checks = performance.now() - t;
  t = performance.now();
  buildReport({ target: { kind: 'files', name: dir }, startedAt: at, finishedAt: at, ...scanned });
  phase.report = performance.now() - t;
  return phase;
}

function checkOptions(now: Date) {
  return { checks: CONFIG_CHECKS, suppressor: new Suppressor([], now), contextKinds: CONTEXT_KINDS, now };
}

function pinnedCores(): string {
  try {
    const out = execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' });
    return out.trim().split(': ').pop() ?? 'unknown';
  } catch {
    return 'not pinned (taskset unavailable)';
  }
}

const count = (n: number) => Math.round(n).toLocaleString('en');

/**
 * Older builds to measure beside this one in the same run: SECO_BENCH_BASELINE holds their roots (each
 * built with `npm run build`), separated by the path delimiter; SECO_BENCH_BASELINE_LABEL optionally
 * names them, separated by ';', in the same order (the root when a label is missing).
 */
function baselines(): Array<{ root: string; label: string }> {
  const roots = (process.env.SECO_BENCH_BASELINE ?? '').split(delimiter).filter((root) => root !== '');
  const labels = (process.env.SECO_BENCH_BASELINE_LABEL ?? '').split(';').map((label) => label.trim());
  return roots.map((root, i) => ({ root, label: labels[i] || root }));
}

/** One end-to-end measurement made in a child process (config-child.ts): its own peak RSS. */
interface ChildFigures {
  label: string;
  wall: number;
  cpu: number;
  gc: number;
  findings: number;
  rss: number;
}

function measureInChild(label: string, root: string, dir: string, policyDir?: string): ChildFigures {
  const child = fileURLToPath(new URL('./config-child.js', import.meta.url));
  const out = execFileSync(process.execPath, [child, root, dir, ...(policyDir ? [policyDir] : [])], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024,
  });
  return { label, ...(JSON.parse(out.trim().split('\n').pop() ?? '{}') as Omit<ChildFigures, 'label'>) };
}

interface Figures {
  children: ChildFigures[];
  podSpecs: number;
  objects: number;
  files: number;
  mebibytes: number;
  findings: number;
  endToEnd: Sample;
  checksOnly: Sample;
  phase: Record<'read' | 'parse' | 'checks' | 'report', number>;
  /** Every document of the input read with line positions by each YAML reader alone. */
  readers: { jsYaml: Sample; block: Sample; declined: number };
  load: number[];
}

/** The two YAML readers over the same documents; the block reader's declines are counted (js-yaml reads those). */
async function compareReaders(texts: readonly string[]): Promise<Figures['readers']> {
  const documents = texts.flatMap((text) => splitDocuments(text).map((part) => part.text));
  const jsYaml = await repeat(() => {
    for (const document of documents) loadWithJsYaml(document);
  });
  let declined = 0;
  const block = await repeat(() => {
    declined = 0;
    for (const document of documents) if (loadBlockYaml(document) === undefined) declined++;
  });
  return { jsYaml, block, declined };
}

function section(f: Figures): string {
  const row = (what: string, s: Sample, target: string) =>
    `| ${what} | ${count(f.podSpecs / s.wall)} | ${count(f.podSpecs / s.cpu)} | ${s.wall.toFixed(2)} s | ${((100 * s.gc) / s.wall).toFixed(0)} % | ${target} |`;
  const p = f.phase;
  return [
    `Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; CPU affinity: ${pinnedCores()}; load average when the run began: ${f.load.map((l) => l.toFixed(2)).join(', ')} (the machine is shared, so CPU-time figures are the steadier ones).`,
    `Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `Input: ${count(f.podSpecs)} generated workloads (7 kinds, 1–4 containers, init containers, varied security contexts, host namespaces, hostPath, seccomp, env literals and Secret references, probes, resources) plus ${count(f.objects - f.podSpecs)} Services/Roles/NetworkPolicies, in ${f.files} multi-document YAML files (${f.mebibytes.toFixed(1)} MiB); ${CONFIG_CHECKS.length} checks; ${count(f.findings)} findings. Median of ${RUNS} runs after one warm-up, in one process on one core.`,
    '',
    'End to end (read + parse YAML with line positions + all checks + report), each in a process of its own so that its peak RSS is its own; old and new measured in this same run:',
    '',
    '| build | pod specs/s (wall) | pod specs/s (CPU time) | wall time for all | of which GC | findings | peak RSS | targets |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |',
    ...f.children.map(
      (c) =>
        `| ${c.label} | ${count(f.podSpecs / c.wall)} | ${count(f.podSpecs / c.cpu)} | ${c.wall.toFixed(2)} s | ${((100 * c.gc) / c.wall).toFixed(0)} % | ${count(c.findings)} | ${c.rss.toFixed(0)} MiB | ≥ ${count(TARGET)}/s, ≤ 400 MiB |`,
    ),
    '',
    'In the benchmark process itself (all objects parsed and held, as before streaming):',
    '',
    '| measure | pod specs/s (wall) | pod specs/s (CPU time) | wall time for all | of which GC | target |',
    '| --- | ---: | ---: | ---: | ---: | --- |',
    row(
      'end to end: read + parse YAML (with line positions) + all checks + report',
      f.endToEnd,
      `≥ ${count(TARGET)}`,
    ),
    row('checks only (objects already parsed)', f.checksOnly, '—'),
    '',
    `YAML alone (the ${count(f.objects)} documents read with line positions, CPU time): js-yaml ${f.readers.jsYaml.cpu.toFixed(2)} s, the block reader ${f.readers.block.cpu.toFixed(2)} s (${(f.readers.jsYaml.cpu / f.readers.block.cpu).toFixed(1)}× faster; it declined ${count(f.readers.declined)} documents, which js-yaml reads).`,
    '',
    `Where one end-to-end run's time goes: read ${p.read.toFixed(0)} ms, YAML parse with positions ${p.parse.toFixed(0)} ms, checks and findings ${p.checks.toFixed(0)} ms, report assembly ${p.report.toFixed(0)} ms — each phase including the garbage collection it causes; a single run, so noisier than the medians above.`,
    '',
    `Peak RSS of the benchmark process (holding every parsed object for the checks-only row): ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB.`,
  ].join('\n');
}

async function main(): Promise<void> {
  boundHeapGrowth(); // as the CLI does (plugin/cli/main.ts), for the in-process rows
  const load = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'seco-bench-config-'));
  const generated = generateManifests(WORKLOADS, 100);
  for (const file of generated.files) writeFileSync(join(dir, file.name), file.text);
  const bytes = generated.files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  const policyDir = mkdtempSync(join(tmpdir(), 'seco-bench-policies-'));
  writeFileSync(join(policyDir, 'policies.yaml'), benchPolicies());
  const children = [
    ...baselines().flatMap(({ root, label }) => {
      const before = `before (${label})`;
      // A build from before the VAP engine (issue 14) has no policy row: its child would ignore the policies.
      if (!existsSync(join(root, 'dist/core/admission/load-policy-files.js')))
        return [measureInChild(`${before}, no VAP engine in that build`, root, dir)];
      return [
        measureInChild(before, root, dir),
        measureInChild(
          `${before} + VAP engine, ${BENCH_POLICY_COUNT} typical policies`,
          root,
          dir,
          policyDir,
        ),
      ];
    }),
    measureInChild('this build', process.cwd(), dir),
    measureInChild(
      `this build + VAP engine, ${BENCH_POLICY_COUNT} typical policies`,
      process.cwd(),
      dir,
      policyDir,
    ),
  ];
  rmSync(policyDir, { recursive: true, force: true });
  let findings = 0;
  const endToEnd = await repeat(async () => {
    findings = (await scanManifestFiles([dir], { stdin: noStdin })).findings.length;
  });
  const phase = await phases(dir);
  const readers = await compareReaders(generated.files.map((file) => file.text));
  const parsed: ManifestObject[] = generated.files.flatMap((f) => parseManifests(f).objects);
  const checksOnly = await repeat(() => scanConfig(parsed, checkOptions(new Date())));
  rmSync(dir, { recursive: true, force: true });
  const body = section({
    children,
    podSpecs: generated.podSpecs,
    objects: generated.objects,
    files: generated.files.length,
    mebibytes: bytes / 2 ** 20,
    findings,
    endToEnd,
    checksOnly,
    phase,
    readers,
    load,
  });
  writeBenchmarkSection('docs/benchmarks.md', 'Configuration scan (`npm run bench:config`)', body);
  console.log(body);
}

await main();
