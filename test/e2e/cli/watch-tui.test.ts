import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { DEMO_SCAN_ARGS, readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { falcoAlertPod } from '../../harness/cluster/falco-alert-pod.js';
import { postFalco } from '../../harness/cluster/post-falco.js';
import { type ProcessStack, startProcessStack } from '../../harness/cluster/process-stack.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { type RunningS3, startS3 } from '../../harness/s3/start-s3rver.js';
import { startTmux, type TmuxSession } from '../../harness/tmux/tmux-session.js';

// `kubectl seco watch` in a real terminal (tmux) on the local stack: nats-server, s3rver, the aggregator
// and two agents as processes from dist/ (`npm run build` first).

let nats: RunningNats;
let s3: RunningS3;
let stack: ProcessStack;
let scanId: string;
let term: TmuxSession | undefined;

const alert = () => JSON.parse(readFileSync('test/fixtures/runtime/falco-alert.json', 'utf8'));

beforeAll(async () => {
  [nats, s3] = await Promise.all([startNats(), startS3('seco')]);
  stack = await startProcessStack({
    natsUrl: nats.url,
    s3,
    // Alerts are checked against the cluster: the pod the Falco fixture names runs there.
    objects: [
      ...withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
      ...falcoAlertPod('node-1'),
    ],
    nodes: [
      { name: 'node-a', fixture: 'hardened' },
      { name: 'node-b', fixture: 'misconfigured' },
    ],
  });
  const client = await connectClient(stack.url, stack.token);
  const report = await client.scan(
    { namespace: 'wordsmith', selector: 'app' },
    { scanners: ['config', 'host'] },
  );
  client.close();
  scanId = report.scanId;
  expect(await postFalco(stack.aggregator.port, stack.token, JSON.stringify(alert()))).toBe(202);
}, 120_000);
afterEach(() => {
  term?.kill();
  term = undefined;
});
afterAll(async () => {
  await stack?.stop();
  await nats?.stop();
  await s3?.stop();
});

/**
 * The CLI between two shell lines: one marks the screen before, so a restored screen can be recognised,
 * one says the exit code after. The shell stays: tmux shows a pane whose program has just died without
 * the screen that program restored. CI is set, as on a CI runner: a terminal gets the live screen anyway.
 */
function cli(args: string[]): string[] {
  return [
    'sh',
    '-c',
    'export CI=true; echo "before the watch"; "$0" "$@"; echo "exited $?"; sleep 600',
    process.execPath,
    'bin/kubectl-seco.js',
    ...args,
  ];
}
/** The CLI in a terminal; a wait that fails shows the aggregator's log with the screen. */
function terminal(args: string[], size: { columns: number; rows: number }): TmuxSession {
  return startTmux(
    cli(args),
    size,
    {},
    () => `aggregator log, its end:\n${stack.aggregator.log().slice(-6000)}`,
  );
}

const exited = (screen: string) => /exited \d+/.test(screen);

const lines = (screen: string) => screen.replace(/\n+$/, '').split('\n');

/** A whole frame is on the screen (not one caught halfway through its redraw). */
const whole = (screen: string) => /^ seco watch/.test(screen) && /\? help|^[:/]/m.test(screen);

function expectFrame(screen: string, columns: number, rows: number): void {
  const all = screen.split('\n');
  expect(all.length).toBeLessThanOrEqual(rows + 1);
  for (const line of all) expect(line.length).toBeLessThanOrEqual(columns);
  expect(all[0]).toMatch(/^ seco watch ● connected/);
  expect(all[1]).toMatch(/1 events +2 findings +3 scans +4 nodes/);
  expect(screen.match(/seco watch/g)).toHaveLength(1);
  expect(screen.match(/\? help/g)).toHaveLength(1);
}

describe('kubectl seco watch in a terminal', () => {
  it('at 80×24: history, screens, keys, filter, help, details, and q restores the screen', async () => {
    term = terminal(['watch', '--aggregator-url', stack.url, '--token', stack.token], {
      columns: 80,
      rows: 24,
    });
    // History: the Falco alert posted before the watch started is on the events screen.
    let screen = await term.waitFor((s) => whole(s) && s.includes('Terminal shell in container'));
    expectFrame(screen, 80, 24);
    const row = lines(screen).find((l) => l.includes('Terminal shell in container'))!;
    expect(row).toMatch(/NOTICE|LOW/);
    expect(row).toContain('shop/web-7d9/web');

    await term.keys(['Enter']);
    screen = await term.waitFor((s) => s.includes('evidence'));
    expect(screen).toContain('process tree');
    expect(screen).toContain('bash');
    expect(screen).not.toContain('wJalrXUtnFEMI/K7MDENG');
    await term.keys(['Escape']);
    await term.waitFor((s) => s.includes('TIME'));

    await term.keys(['2']);
    screen = await term.waitFor(
      (s) => whole(s) && /SEVERITY +NAMESPACE +RESOURCE/.test(s) && s.includes('wordsmith'),
    );
    expectFrame(screen, 80, 24);
    const total = Number(/(\d+) findings ≥/.exec(screen)?.[1]);
    expect(total).toBeGreaterThan(5);

    await term.keys(['/']);
    await term.keys(['node-b'], { literal: true });
    screen = await term.waitFor((s) => / \d+ of \d+ findings ≥/.test(s));
    const body = lines(screen)
      .slice(4, -1)
      .filter((l) => l.trim() && !l.includes('latest scan'));
    expect(body.length).toBeGreaterThan(0);
    for (const l of body) expect(l).toContain('node-b');
    await term.keys(['Enter', 'Escape']);
    await term.waitFor((s) => s.includes(` ${total} findings ≥`));

    await term.keys(['G']);
    await term.keys(['Enter']);
    screen = await term.waitFor((s) => s.includes('remediation') || s.includes('references'));
    await term.keys(['Escape', '?']);
    screen = await term.waitFor((s) => s.includes('PgUp PgDn'));
    for (const key of ['1 2 3 4', ':name', '/text', 'g G', 'esc', 'q  ctrl-c']) expect(screen).toContain(key);
    await term.keys(['Escape']);

    await term.keys([':']);
    await term.keys(['nodes'], { literal: true });
    await term.keys(['Enter']);
    screen = await term.waitFor((s) => s.includes('node-a') && s.includes('node-b') && s.includes('online'));
    expect(lines(screen).find((l) => l.includes('node-a'))).toMatch(/online +off/);

    await term.keys(['3']);
    screen = await term.waitFor((s) => s.includes(scanId));
    expect(lines(screen).find((l) => l.includes(scanId))).toContain('done');
    await term.keys(['g', 'Enter']);
    screen = await term.waitFor((s) => s.includes(`scan ${scanId}`) && /SEVERITY +NAMESPACE/.test(s));
    expect(screen).toContain('wordsmith');

    // A terminal grown since the watch began, a screen full of rows: q still gives the terminal back as
    // it was, and nothing else (tmux showed the rows drawn below the old height over it).
    term.resize(120, 40);
    await term.waitFor((s) => whole(s) && lines(s).length > 30 && s.includes('wordsmith'));
    await term.keys(['q']);
    await term.waitFor(exited);
    const restored = lines(term.screen()).filter((l) => l.trim());
    expect(restored[0]).toBe('before the watch');
    expect(restored.slice(1)).toEqual([expect.stringMatching(/^exited \d+$/)]);
  }, 90_000);

  it('at 160×45: redraws cleanly on resize, and shows a banner through an aggregator restart, then catches up', async () => {
    term = terminal(['watch', '--aggregator-url', stack.url, '--token', stack.token], {
      columns: 160,
      rows: 45,
    });
    let screen = await term.waitFor((s) => whole(s) && s.includes('Terminal shell in container'));
    expectFrame(screen, 160, 45);
    expect(lines(screen).find((l) => l.includes('Terminal shell in container'))).toContain('tool:falco');

    term.resize(80, 24);
    screen = await term.waitFor((s) => s.split('\n').every((l) => l.length <= 80) && /\? help/.test(s));
    await new Promise((r) => setTimeout(r, 500));
    expectFrame(term.screen(), 80, 24);
    term.resize(160, 45);
    await new Promise((r) => setTimeout(r, 500));
    expectFrame(term.screen(), 160, 45);

    await stack.restartAggregator();
    const banner = await term.waitFor(
      (s) => s.includes('connection lost') || s.includes('● reconnecting'),
      20_000,
    );
    expect(banner).toContain('Terminal shell in container');
    // Posted while the watch may still be away: live or from the catch-up, it arrives once.
    const second = { ...alert(), rule: 'Read sensitive file untrusted', time: new Date().toISOString() };
    expect(await postFalco(stack.aggregator.port, stack.token, JSON.stringify(second))).toBe(202);
    screen = await term.waitFor(
      (s) => s.includes('● connected') && s.includes('Read sensitive file untrusted'),
      30_000,
    );
    expect(screen).not.toContain('connection lost');
    expect(screen.match(/Read sensitive file untrusted/g)).toHaveLength(1);
    await term.keys(['C-c']);
    await term.waitFor(exited);
    const restored = lines(term.screen()).filter((l) => l.trim());
    expect(restored[0]).toBe('before the watch');
    expect(restored.slice(1)).toEqual([expect.stringMatching(/^exited \d+$/)]);
  }, 90_000);

  it('scan -w opens the scans screen on that scan, live, and prints the report after q', async () => {
    term = terminal([...DEMO_SCAN_ARGS, '-w', '--aggregator-url', stack.url, '--token', stack.token], {
      columns: 100,
      rows: 30,
    });
    // The new scan is the newest, so the first row, and the cursor is on it: running (a bar per node and
    // kind while its jobs run), then done.
    await term.waitFor(
      (s) => /SCAN +TARGET +STATE/.test(s) && (lines(s)[3] ?? '').includes('wordsmith'),
      30_000,
    );
    await term.waitFor(
      (s) => /done/.test(lines(s)[3] ?? '') && !(lines(s)[3] ?? '').includes(scanId),
      60_000,
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the inverse escape is what marks the cursor
    expect(term.screen({ escapes: true }).split('\n')[3]).toMatch(/\u001b\[[0-9;]*7m/);
    await term.keys(['q']);
    await term.waitFor(exited, 20_000);
    // The report of the finished scan, printed on the normal screen after the watch gave it back.
    const screen = term.screen();
    expect(screen).not.toContain('seco watch');
    // Its last lines: the per-check table (check, severity, resources) and the summary.
    expect(screen).toMatch(/resources-cpu-limit +LOW +\d+/);
    expect(screen).toMatch(/\d+ resources scanned\. Findings: /);
  }, 120_000);
});
