import { createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { RuleEngine } from '../../core/runtime/rule-engine.js';
import { ruleSetFromJson } from '../../core/runtime/rule-set-json.js';
import { RuntimeWatcher, type WatcherSource } from '../../core/runtime/watcher.js';

// One runtime watcher in a process of its own (tools/bench/runtime.ts starts one per sensor), so its CPU and
// RSS are the watcher's alone. Every detection is written as an NDJSON line (to /dev/null); its latency is
// from the kernel's timestamp of the syscall (eBPF) or the connector's event to after that write.
// stdin: `reset` zeroes the counters; `report` prints them as one JSON line. argv: the sensor, then a file with
// the rule set the parent loaded and validated (rule-set-json.ts): this process loads no YAML parser or schemas.
const source = process.argv[2] as WatcherSource;
const rules = ruleSetFromJson(readFileSync(process.argv[3]!, 'utf8'));
const sink = createWriteStream('/dev/null');
let counts: Record<string, number> = {};
let latencies: Record<string, number[]> = {};
let cpu0 = process.cpuUsage();
let t0 = performance.now();

const watcher = new RuntimeWatcher({
  procRoot: '/proc',
  node: 'bench',
  rules: new RuleEngine(rules),
  source,
  podWaitMs: 0,
  rateLimit: { dedupeWindowMs: 0, burst: 1e9, burstWindowMs: 1 },
  onLog: (line) => process.stderr.write(`${source}: ${line}\n`),
  onDetection: (d) => {
    const at = performance.now();
    sink.write(`${JSON.stringify(d)}\n`);
    counts[d.ruleId] = (counts[d.ruleId] ?? 0) + 1 + d.repeats; // folded repeats are events too
    const list = latencies[d.ruleId] ?? [];
    list.push(d.latencyMs + (performance.now() - at));
    latencies[d.ruleId] = list;
  },
});
await watcher.start();
process.stdout.write(`${JSON.stringify({ ready: watcher.stats.source })}\n`);

for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'reset') {
    counts = {};
    latencies = {};
    cpu0 = process.cpuUsage();
    t0 = performance.now();
  } else if (line === 'report') {
    const cpu = process.cpuUsage(cpu0);
    watcher.refreshDrops();
    process.stdout.write(
      `${JSON.stringify({
        cpuPct: ((cpu.user + cpu.system) / 1000 / (performance.now() - t0)) * 100,
        rssMiB: process.memoryUsage().rss / 2 ** 20,
        counts,
        latencies,
        stats: watcher.stats,
      })}\n`,
    );
  } else if (line === 'stop') break;
}
watcher.stop();
process.exit(0);
