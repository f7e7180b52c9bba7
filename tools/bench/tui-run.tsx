import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { render } from 'ink';
import type { Finding, Severity } from '../../core/model/index.js';
import type * as RunScreen from '../../plugin/tui/run-watch-screen.js';
import type * as RunWatchUi from '../../plugin/tui/run-watch-ui.js';
import type * as Screen from '../../plugin/tui/watch-screen.js';
import type * as Store from '../../plugin/tui/watch-store.js';
import { BenchStdin, BenchStdout } from './tui-terminal.js';

/**
 * One run of `npm run bench:tui` (tui.ts runs it, once per build compared, in a process of its own): the
 * watch screen with 10,000 open findings while runtime events arrive at 50 per second, drawn by the real
 * Ink renderer into a 160×45 terminal. Measures Ink's render time per frame, CPU per frame (React
 * included), key-to-screen latency (from the key reaching stdin to the first frame written that shows its
 * effect), and RSS; prints them as one JSON line (`TuiRun`).
 *
 * Arguments: seconds, and the `dist` directory whose watch screen is drawn (another build's, to compare
 * with an earlier commit; the keys and checks below use only what every build has).
 */
const SECONDS = Number(process.argv[2] ?? 30);
const DIST = resolve(process.argv[3] ?? new URL('../..', import.meta.url).pathname);
const load = <T,>(path: string): Promise<T> => import(pathToFileURL(resolve(DIST, path)).href);
// UNSEEN_FRAME_MS and INK_OPTIONS are undefined in builds older than them: as watch drew then.
const { DATA_FRAME_MS, UNSEEN_FRAME_MS } = await load<Partial<typeof RunWatchUi>>(
  'plugin/tui/run-watch-ui.js',
);
const { INK_OPTIONS } = await load<Partial<typeof RunScreen>>('plugin/tui/run-watch-screen.js');
const { WatchScreen } = await load<typeof Screen>('plugin/tui/watch-screen.js');
const { WatchStore } = await load<typeof Store>('plugin/tui/watch-store.js');
type WatchStore = Store.WatchStore;

export const FINDINGS = 10_000;
export const EVENTS_PER_SECOND = 50;
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
  ['2', 'findings screen', (f) => /\d+ findings? ≥/.test(f)],
  ['/', 'open the filter', (f) => /^\/$/m.test(f)],
  ['t', 'type t', (f) => /^\/t$/m.test(f)],
  ['e', 'type e', (f) => /^\/te$/m.test(f)],
  ['\u001b', 'esc clears', (f) => /\? help/.test(f) && !f.includes('/te')],
  ['o', 'sort', (f, store) => f.includes(`by:${store.getSnapshot().ui.order}`)],
  ['s', 'min severity', (f, store) => f.includes(`≥${store.getSnapshot().filters.minSeverity} `)],
  ['\u001b[6~', 'page down', (f) => /\? help/.test(f)],
  ['G', 'last row', (f) => /\? help/.test(f)],
  ['1', 'events screen', (f) => /\d+ events? ≥/.test(f)],
  ['3', 'scans screen', (f) => /\d+ scans? ≥/.test(f)],
  ['4', 'nodes screen', (f) => /\d+ nodes? ≥/.test(f)],
  ['?', 'help', (f) => f.includes('PgUp PgDn')],
  ['\u001b', 'close help', (f) => /\? help/.test(f) && !f.includes('PgUp PgDn')],
];

/** What one run measured, in milliseconds unless named otherwise. */
export interface TuiRun {
  seconds: number;
  eventsSent: number;
  dataFrameMs: number;
  /** How often data the screen does not list is drawn (undefined: as often as the rest). */
  unseenFrameMs?: number;
  renderMs: number[];
  /** Key to screen, per key (its description), in the order pressed. */
  /**
   * Key to screen, per key (its description), in the order pressed: `ms` on the clock, `cpuMs` the CPU
   * this process used meanwhile (on a machine other processes load, close to what the clock would say
   * on a quiet one; it includes the event frames drawn meanwhile, as a quiet machine would wait for them).
   */
  keys: Array<{ key: string; ms?: number; cpuMs?: number }>;
  cpuMs: number;
  writes: number;
  bytes: number;
  peakRss: number;
}

async function main(): Promise<void> {
  const stdout = new BenchStdout(160, 45);
  const stdin = new BenchStdin();
  const store = new WatchStore({
    target: 'bench',
    screen: 'findings',
    capacity: 500,
    coalesceMs: DATA_FRAME_MS,
    unseenMs: UNSEEN_FRAME_MS,
  });
  store.setConnection('connected');
  store.setFindings(clusterFindings(FINDINGS, Date.now()), [{ scanId: 'bench', target: 'cluster' }]);
  const renderMs: number[] = [];
  const cpuStart = process.cpuUsage();
  const instance = render(<WatchScreen store={store} size={{ columns: 160, rows: 45 }} />, {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr: stdout as unknown as NodeJS.WriteStream,
    ...INK_OPTIONS,
    exitOnCtrlC: false,
    patchConsole: false,
    onRender: ({ renderTime }) => renderMs.push(renderTime),
  });
  let sent = 0;
  const feed = setInterval(() => store.addEvent(runtimeEvent(sent++)), 1000 / EVENTS_PER_SECOND);
  let peakRss = 0;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const keys: TuiRun['keys'] = [];
  const started = performance.now();
  for (let i = 0; performance.now() - started < SECONDS * 1000; i++) {
    const [key, what, shows] = KEYS[i % KEYS.length]!;
    await new Promise((r) => setTimeout(r, 150));
    const at = performance.now();
    const cpuAt = process.cpuUsage();
    const frame = stdout.next((t) => shows(text(t), store), 1000);
    stdin.press(key);
    const shown = await frame;
    if (shown === undefined) keys.push({ key: what });
    else {
      const cpu = process.cpuUsage(cpuAt);
      keys.push({ key: what, ms: performance.now() - at, cpuMs: (cpu.user + cpu.system) / 1000 });
    }
  }
  clearInterval(feed);
  clearInterval(sampler);
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  instance.unmount();
  if (stdout.frames < 10)
    throw new Error(`the screen stopped drawing; its last output: ${stdout.last.slice(0, 500)}`);
  const run: TuiRun = {
    seconds: elapsed,
    eventsSent: sent,
    dataFrameMs: DATA_FRAME_MS ?? 0,
    unseenFrameMs: UNSEEN_FRAME_MS,
    renderMs,
    keys,
    cpuMs: (cpu.user + cpu.system) / 1000,
    writes: stdout.frames,
    bytes: stdout.bytes,
    peakRss,
  };
  process.stdout.write(`${JSON.stringify(run)}\n`);
}

await main();
