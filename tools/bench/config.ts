import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseManifests } from '../../core/config/input/parse-manifests.js';
import { readSources } from '../../core/config/input/read-sources.js';
import { CONFIG_CHECKS, CONTEXT_KINDS } from '../../core/config/registry.js';
import { scanConfig } from '../../core/config/scan-config.js';
import { scanManifestFiles } from '../../core/config/scan-manifest-files.js';
import { Suppressor } from '../../core/config/suppression.js';
import { buildReport } from '../../core/report/build-report.js';
import { generateManifests } from './generate-manifests.js';
import { writeBenchmarkSection } from './write-results.js';

const WORKLOADS = 10_000;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function pinnedCores(): string {
  try {
    return (
      execFileSync('taskset', ['-cp', String(process.pid)], { encoding: 'utf8' })
        .trim()
        .split(': ')
        .pop() ?? 'all'
    );
  } catch {
    return 'not pinned (taskset unavailable)';
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'seco-bench-config-'));
  const { files, podSpecs } = generateManifests(WORKLOADS, 100);
  for (const file of files) writeFileSync(join(dir, file.name), file.text);
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text), 0);
  const noStdin = async () => Buffer.alloc(0);

  const endToEnd: number[] = [];
  let findings = 0;
  for (let run = 0; run <= RUNS; run++) {
    const start = process.hrtime.bigint();
    const report = await scanManifestFiles([dir], { stdin: noStdin });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    findings = report.findings.length;
    if (run > 0) endToEnd.push(seconds); // run 0 warms the JIT
  }

  // One run split by phase, to say where the end-to-end time goes.
  const phase = { read: 0, parse: 0, checks: 0, report: 0 };
  {
    let t = performance.now();
    const read = await readSources([dir], noStdin);
    phase.read = performance.now() - t;
    t = performance.now();
    const objects = read.sources.flatMap((source) => parseManifests(source).objects);
    phase.parse = performance.now() - t;
    t = performance.now();
    const at = new Date();
    const scanned = scanConfig(objects, {
      checks: CONFIG_CHECKS,
      suppressor: new Suppressor([], at),
      contextKinds: CONTEXT_KINDS,
      now: at,
    });
    phase.checks = performance.now() - t;
    t = performance.now();
    buildReport({ target: { kind: 'files', name: dir }, startedAt: at, finishedAt: at, ...scanned });
    phase.report = performance.now() - t;
  }

  const parsed = files.flatMap(
    (f) => parseManifests({ name: f.name, text: readFileSync(join(dir, f.name), 'utf8') }).objects,
  );
  const checksOnly: number[] = [];
  const now = new Date();
  for (let run = 0; run <= RUNS; run++) {
    const start = process.hrtime.bigint();
    scanConfig(parsed, {
      checks: CONFIG_CHECKS,
      suppressor: new Suppressor([], now),
      contextKinds: CONTEXT_KINDS,
      now,
    });
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    if (run > 0) checksOnly.push(seconds);
  }
  rmSync(dir, { recursive: true, force: true });

  const e2e = median(endToEnd);
  const checks = median(checksOnly);
  const rssMiB = process.resourceUsage().maxRSS / 1024;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  const lines = [
    `Machine: ${cpu}, ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB; Node ${process.version}; CPU affinity: ${pinnedCores()}.`,
    `Date: ${new Date().toISOString().slice(0, 10)}.`,
    '',
    `Input: ${podSpecs.toLocaleString('en')} generated workloads (7 kinds, 1–4 containers, init containers, varied security contexts, env, probes, volumes) plus ${(parsed.length - podSpecs).toLocaleString('en')} Services/Roles/NetworkPolicies, in ${files.length} multi-document YAML files (${(bytes / 2 ** 20).toFixed(1)} MiB); ${CONFIG_CHECKS.length} checks; ${findings.toLocaleString('en')} findings. Median of ${RUNS} runs after one warm-up, one process.`,
    '',
    '| measure | pod specs per second | time for all | target |',
    '| --- | ---: | ---: | --- |',
    `| end to end: read + parse YAML (with line positions) + all checks + report | ${Math.round(podSpecs / e2e).toLocaleString('en')} | ${e2e.toFixed(2)} s | ≥ 5,000 |`,
    `| checks only (objects already parsed) | ${Math.round(podSpecs / checks).toLocaleString('en')} | ${checks.toFixed(2)} s | — |`,
    '',
    `Where one end-to-end run's time goes: read ${phase.read.toFixed(0)} ms, YAML parse with positions ${phase.parse.toFixed(0)} ms, checks and findings ${phase.checks.toFixed(0)} ms, report assembly ${phase.report.toFixed(0)} ms — each phase including the garbage collection it causes; a single run, so noisier than the medians above.`,
    '',
    `Peak RSS of the benchmark process: ${rssMiB.toFixed(0)} MiB.`,
  ];
  writeBenchmarkSection(
    'docs/benchmarks.md',
    'Configuration scan (`npm run bench:config`)',
    lines.join('\n'),
  );
  console.log(lines.join('\n'));
}

await main();
