import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { connectClient } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
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
    objects: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a', 'node-b'] }),
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

/** The CLI behind a shell line that marks the screen first, so a restored screen can be recognised. */
function cli(args: string[]): string[] {
  return [
    'sh',
    '-c',
    'echo "before the watch"; exec "$0" "$@"',
    process.execPath,
    'bin/kubectl-seco.js',
    ...args,
  ];
}

const lines = (screen: string) => screen.replace(/\n+$/, '').split('\n');

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
    term = startTmux(cli(['watch', '--aggregator-url', stack.url, '--token', stack.token]), {
      columns: 80,
      rows: 24,
    });
    // History: the Falco alert posted before the watch started is on the events screen.
    let screen = await term.waitFor((s) => s.includes('Terminal shell in container'));
    expectFrame(screen, 80, 24);
    const row = lines(screen).find((l) => l.includes('Terminal shell in container'))!;
    expect(row).toMatch(/NOTICE|LOW/);
    expect(row).toContain('shop/web-7d9/web');

    term.keys(['Enter']);
    screen = await term.waitFor((s) => s.includes('evidence'));
    expect(screen).toContain('process tree');
    expect(screen).toContain('bash');
    expect(screen).not.toContain('wJalrXUtnFEMI/K7MDENG');
    term.keys(['Escape']);
    await term.waitFor((s) => s.includes('TIME'));

    term.keys(['2']);
    screen = await term.waitFor((s) => /SEVERITY +NAMESPACE +RESOURCE/.test(s) && s.includes('wordsmith'));
    expectFrame(screen, 80, 24);
    const total = Number(/(\d+) findings ≥/.exec(screen)?.[1]);
    expect(total).toBeGreaterThan(5);

    term.keys(['/']);
    term.keys(['node-b'], { literal: true });
    screen = await term.waitFor((s) => / \d+ of \d+ findings ≥/.test(s));
    const body = lines(screen)
      .slice(4, -1)
      .filter((l) => l.trim() && !l.includes('latest scan'));
    expect(body.length).toBeGreaterThan(0);
    for (const l of body) expect(l).toContain('node-b');
    term.keys(['Enter', 'Escape']);
    await term.waitFor((s) => s.includes(` ${total} findings ≥`));

    term.keys(['G']);
    term.keys(['Enter']);
    screen = await term.waitFor((s) => s.includes('remediation') || s.includes('references'));
    term.keys(['Escape', '?']);
    screen = await term.waitFor((s) => s.includes('PgUp PgDn'));
    for (const key of ['1 2 3 4', ':name', '/text', 'g G', 'esc', 'q  ctrl-c']) expect(screen).toContain(key);
    term.keys(['Escape']);

    term.keys([':']);
    term.keys(['nodes'], { literal: true });
    term.keys(['Enter']);
    screen = await term.waitFor((s) => s.includes('node-a') && s.includes('node-b') && s.includes('online'));
    expect(lines(screen).find((l) => l.includes('node-a'))).toMatch(/online +off/);

    term.keys(['3']);
    screen = await term.waitFor((s) => s.includes(scanId));
    expect(lines(screen).find((l) => l.includes(scanId))).toContain('done');
    term.keys(['g', 'Enter']);
    screen = await term.waitFor((s) => s.includes(`scan ${scanId}`) && /SEVERITY +NAMESPACE/.test(s));
    expect(screen).toContain('wordsmith');

    term.keys(['q']);
    await term.waitFor(() => term!.exited());
    screen = term.screen();
    expect(screen).toContain('before the watch');
    expect(screen).not.toContain('seco watch');
  }, 90_000);

  it('at 160×45: redraws cleanly on resize, and shows a banner through an aggregator restart, then catches up', async () => {
    term = startTmux(cli(['watch', '--aggregator-url', stack.url, '--token', stack.token]), {
      columns: 160,
      rows: 45,
    });
    let screen = await term.waitFor((s) => s.includes('Terminal shell in container'));
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
    term.keys(['C-c']);
    await term.waitFor(() => term!.exited());
    // (The screen from before is tmux's to keep through the resizes; the first test checks it is back.)
    expect(term.screen()).not.toContain('seco watch');
  }, 90_000);

  it('scan -w opens the scans screen on that scan, live, and prints the report after q', async () => {
    term = startTmux(
      cli([
        'scan',
        '-n',
        'wordsmith',
        '-l',
        'app',
        '--scanners',
        'config,host',
        '-w',
        '--aggregator-url',
        stack.url,
        '--token',
        stack.token,
      ]),
      { columns: 100, rows: 30 },
    );
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
    term.keys(['q']);
    await term.waitFor(() => term!.exited(), 20_000);
    const screen = term.screen();
    expect(screen).toContain('before the watch');
    expect(screen).not.toContain('seco watch');
    expect(screen).toMatch(/critical|high|medium|low/i);
  }, 120_000);
});
