// One configuration-scan measurement in a process of its own, so its peak RSS is the scan's alone:
// `node config-child.js ROOT DIR [POLICY_DIR]` imports scanManifestFiles from ROOT/dist (this build,
// or an older commit built in a worktree for the baseline), runs it RUNS times after a warm-up and
// prints {wall, cpu, gc, findings, rss} as JSON.
import { PerformanceObserver } from 'node:perf_hooks';

const RUNS = 3;
const [root, dir, policyDir] = process.argv.slice(2);
if (!root || !dir) throw new Error('usage: config-child ROOT DIR [POLICY_DIR]');
// The heap-growth bound the build's CLI sets at start-up (plugin/cli/main.ts), when the build has one:
// the scan is measured as the shipped command runs it.
const heapGrowth = await import(`${root}/dist/core/service/heap-growth.js`).catch(() => undefined);
(heapGrowth as { boundHeapGrowth?: () => void } | undefined)?.boundHeapGrowth?.();
const module = (await import(`${root}/dist/core/config/scan-manifest-files.js`)) as {
  scanManifestFiles(paths: string[], options: Record<string, unknown>): Promise<{ findings: unknown[] }>;
};
let gc = 0;
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) gc += entry.duration;
}).observe({ entryTypes: ['gc'] });
const samples: Array<{ wall: number; cpu: number; gc: number }> = [];
let findings = 0;

/**
 * One scan, returning only its finding count. In a function of its own so that no report outlives its
 * run: a report held in this module's (suspended, top-level await) frame stayed reachable through the
 * next run — V8 keeps a suspended frame's registers, stale ones included — and the peak RSS measured
 * two reports where the CLI, which scans once, holds one.
 */
async function scanOnce(): Promise<number> {
  const report = await module.scanManifestFiles([dir!], {
    stdin: async () => Buffer.alloc(0),
    ...(policyDir ? { policyPaths: [policyDir] } : {}),
  });
  return report.findings.length;
}

for (let i = 0; i <= RUNS; i++) {
  const gcBefore = gc;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  findings = await scanOnce();
  const wall = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  await new Promise((resolve) => setImmediate(resolve));
  if (i > 0) samples.push({ wall, cpu: (cpu.user + cpu.system) / 1e6, gc: (gc - gcBefore) / 1000 });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
console.log(
  JSON.stringify({
    wall: median(samples.map((s) => s.wall)),
    cpu: median(samples.map((s) => s.cpu)),
    gc: median(samples.map((s) => s.gc)),
    findings,
    rss: process.resourceUsage().maxRSS / 1024,
  }),
);
