import { cpus, loadavg, totalmem } from 'node:os';
import { performance } from 'node:perf_hooks';
import { render } from 'ink';
import type { Finding, Severity } from '../../core/model/index.js';
import { DATA_FRAME_MS } from '../../plugin/tui/run-watch-ui.js';
import { WatchScreen } from '../../plugin/tui/watch-screen.js';
import { WatchStore } from '../../plugin/tui/watch-store.js';
import { BenchStdin, BenchStdout } from './tui-terminal.js';
import { writeBenchmarkSection } from './write-results.js';

/**
 * `npm run bench:tui`: the watch screen with 10,000 open findings while runtime events arrive at 50 per
 * second, drawn by the real Ink renderer into a 160×45 terminal. Measures Ink's render time per frame,
 * CPU per frame (React included), key-to-screen latency (from the key reaching stdin to the first frame
 * written that shows its effect; Ink writes at most 30 frames a second, which is part of it), and RSS.
 */
const FINDINGS = 10_000;
const EVENTS_PER_SECOND = 50;
const SECONDS = Number(process.argv[2] ?? 30);
const TARGET_P95_MS = 50;
const SEVERITIES: Severity[] = ['critical', 'high', 'medium', 'low', 'info'];
const iso = (ms: number) => new Date(ms).toISOString();
const hex16 = (n: number) => n.toString(16).padStart(16, '0');

/** Findings spread like a cluster's: 40 namespaces, a few hundred workloads, config and image rules. */
function clusterFindings(count: number, now: number): Finding[] {
  return Array.from({ length: count }, (_, i) => {
    const image = i % 3 !== 0;
    return {
      id: hex16(i + 1),
      scanner: image ? 'image' : 'config',
      ruleId: image ? `CVE-2026-${String(i % 2000).padStart(4, '0')}` : `pss-restricted-${i % 17}`,
      title: image
        ? `libfoo${i % 50}: buffer overflow in parser ${i % 7}`
        : `Container does not set control ${i % 17}`,
      severity: SEVERITIES[i % 5]!,
      resource: {
        namespace: `team-${i % 40}`,
        kind: 'Deployment',
        name: `service-${i % 300}`,
        container: `app-${i % 3}`,
        ...(image ? { image: `registry.example.com/team/service-${i % 300}:1.${i % 9}` } : {}),
      },
      ...(image ? { package: { name: `libfoo${i % 50}`, version: '1.2.3', fixedVersion: '1.2.9' } } : {}),
      evidence: `evidence ${i}`,
      references: [],
      firstSeen: iso(now),
      lastSeen: iso(now),
      status: 'open',
    } satisfies Finding;
  });
}

function runtimeEvent(n: number): Finding {
  const now = Date.now();
  return {
    id: hex16(0x100000 + (n % 400)),
    scanner: n % 4 === 0 ? 'tool:falco' : 'runtime',
    ruleId: ['shell-in-container', 'package-manager', 'drift-executable', 'service-account-token-read'][
      n % 4
    ]!,
    title: 'A runtime detection',
    severity: SEVERITIES[n % 4]!,
    resource: {
      namespace: `team-${n % 40}`,
      kind: 'Pod',
      name: `service-${n % 300}-7d9`,
      container: 'app',
      node: `node-${n % 20}`,
    },
    evidence: `bash -c id #${n}`,
    references: [],
    firstSeen: iso(now),
    lastSeen: iso(now + n),
    status: 'open',
  };
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping escapes to read the frame's text
const text = (frame: string) => frame.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '');

/**
 * Keys and what the frame shows once each has taken effect; `s` and `o` cycle, so what they show is read
 * from the store after the key (Ink trims a line's trailing spaces, so the prompt's cursor is not there).
 */
const KEYS: Array<[string, string, (frame: string, store: WatchStore) => boolean]> = [
  ['2', 'findings screen', (f) => /\d+ findings ≥/.test(f)],
  ['/', 'open the filter', (f) => /^\/$/m.test(f)],
  ['t', 'type t', (f) => /^\/t$/m.test(f)],
  ['e', 'type e', (f) => /^\/te$/m.test(f)],
  ['\u001b', 'esc clears', (f) => /\? help/.test(f) && !f.includes('/te')],
  ['o', 'sort', (f, store) => f.includes(`by:${store.getSnapshot().ui.order}`)],
  ['s', 'min severity', (f, store) => f.includes(`≥${store.getSnapshot().filters.minSeverity} `)],
  ['\u001b[6~', 'page down', (f) => /\? help/.test(f)],
  ['G', 'last row', (f) => /\? help/.test(f)],
  ['1', 'events screen', (f) => /\d+ events ≥/.test(f)],
  ['3', 'scans screen', (f) => /\d+ scans ≥/.test(f)],
  ['4', 'nodes screen', (f) => /\d+ nodes ≥/.test(f)],
  ['?', 'help', (f) => f.includes('PgUp PgDn')],
  ['\u001b', 'close help', (f) => /\? help/.test(f) && !f.includes('PgUp PgDn')],
];

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

async function main(): Promise<void> {
  const load = loadavg();
  const stdout = new BenchStdout(160, 45);
  const stdin = new BenchStdin();
  const store = new WatchStore({
    target: 'bench',
    screen: 'findings',
    capacity: 500,
    coalesceMs: DATA_FRAME_MS,
  });
  store.setConnection('connected');
  store.setFindings(clusterFindings(FINDINGS, Date.now()), [{ scanId: 'bench', target: 'cluster' }]);
  const renderMs: number[] = [];
  const cpuStart = process.cpuUsage();
  const instance = render(<WatchScreen store={store} size={{ columns: 160, rows: 45 }} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }) => renderMs.push(renderTime),
  });
  let sent = 0;
  const feed = setInterval(() => store.addEvent(runtimeEvent(sent++)), 1000 / EVENTS_PER_SECOND);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const latency: number[] = [];
  const missed: string[] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < SECONDS * 1000; i++) {
    const [key, what, shows] = KEYS[i % KEYS.length]!;
    await new Promise((r) => setTimeout(r, 150));
    const at = performance.now();
    const frame = stdout.next((t) => shows(text(t), store), 1000);
    stdin.press(key);
    if ((await frame) === undefined) missed.push(what);
    else latency.push(performance.now() - at);
  }
  clearInterval(feed);
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  instance.unmount();
  if (stdout.frames < 10)
    throw new Error(`the screen stopped drawing; its last output: ${stdout.last.slice(0, 500)}`);
  const p = (values: number[], q: number) => quantile(values, q).toFixed(1);
  const body = [
    `Run on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; load average (uptime) at the start ${load.map((l) => l.toFixed(2)).join(', ')} — the machine is shared with other sessions' builds and tests, so these are upper bounds.`,
    '',
    `The watch screen (\`plugin/tui\`) drawn by Ink into a 160×45 terminal (a recording stdout, no tty) for ${elapsed.toFixed(0)} s, with ${FINDINGS.toLocaleString('en')} open findings in the store and runtime events arriving at ${EVENTS_PER_SECOND}/s (${sent} sent; the store draws data at most every ${DATA_FRAME_MS} ms, keys at once, as \`watch\` does); a key every 150 ms cycling through screens, filter typing, sort, severity, paging and help (${latency.length + missed.length} keys).`,
    '',
    '| measure | p50 | p95 | max |',
    '| --- | --- | --- | --- |',
    `| Ink render per frame (layout and output, ms; ${renderMs.length} frames) | ${p(renderMs, 0.5)} | ${p(renderMs, 0.95)} | ${Math.max(...renderMs).toFixed(1)} |`,
    `| key to screen (ms, first frame written showing the key's effect; target p95 ≤ ${TARGET_P95_MS}) | ${p(latency, 0.5)} | ${p(latency, 0.95)} | ${Math.max(...latency).toFixed(1)} |`,
    '',
    `CPU (user + system, React and Ink together): ${((cpu.user + cpu.system) / 1000 / elapsed / 10).toFixed(0)} % of one core, ${((cpu.user + cpu.system) / 1000 / Math.max(1, renderMs.length)).toFixed(1)} ms per frame; ${stdout.frames} writes, ${(stdout.bytes / 2 ** 20).toFixed(1)} MiB written. Keys whose effect never showed within 1 s: ${missed.length}${missed.length ? ` (${[...new Set(missed)].join(', ')})` : ''}. Peak RSS of the benchmark process: ${(peakRss / 2 ** 20).toFixed(0)} MiB (store, 10,000 findings, Ink and React).`,
  ].join('\n');
  writeBenchmarkSection('docs/benchmarks.md', 'Watch TUI (`npm run bench:tui`)', body);
  console.log(body);
}

await main();
