import { describe, expect, it } from '@jest/globals';
import { WatchStore } from '../../../../plugin/tui/watch-store.js';
import { runtimeFinding } from './runtime-finding.js';

// Ink's colours (chalk) follow the terminal, and jest's stdout is none: force them before Ink loads, so
// frames carry the escapes a terminal would get (the cursor's inverse, the severities' colours).
process.env.FORCE_COLOR = '1';
const { render } = await import('ink-testing-library');
const { WatchScreen } = await import('../../../../plugin/tui/watch-screen.js');

// biome-ignore lint/suspicious/noControlCharactersInRegex: stripping escapes is the point
const plain = (frame: string | undefined) => (frame ?? '').replace(/\u001b\[[0-9;]*m/g, '');
const tick = () => new Promise((r) => setTimeout(r, 20));
const DOWN = '\u001B[B';
const ENTER = '\r';
const ESC = '\u001B';
const SMALL = { columns: 80, rows: 24 };

function storeWithEvents(): WatchStore {
  const store = new WatchStore({ target: 'ws://127.0.0.1:8080/ws' }, () => new Date('2026-11-22T14:02:12Z'));
  store.setUser('system:serviceaccount:ci:watcher');
  store.setConnection('connected');
  store.addEvent(runtimeFinding('1', 'low', { ruleId: 'package-manager', title: 'apt ran' }));
  store.addEvent(
    runtimeFinding('2', 'critical', { scanner: 'tool:falco', ruleId: 'Terminal shell in container' }),
  );
  store.addEvent(
    runtimeFinding('2', 'critical', {
      scanner: 'tool:falco',
      ruleId: 'Terminal shell in container',
      lastSeen: '2026-11-22T14:02:12.000Z',
    }),
  );
  return store;
}

async function keys(stdin: { write(s: string): void }, ...sequence: string[]) {
  for (const key of sequence) {
    stdin.write(key);
    await tick();
  }
}

describe('watch screen', () => {
  it('shows the header, the events newest first with repeats, and the keys', () => {
    const { lastFrame, unmount } = render(<WatchScreen store={storeWithEvents()} size={SMALL} />);
    const frame = plain(lastFrame());
    expect(frame).toContain('ws://127.0.0.1:8080/ws');
    expect(frame).toContain('connected');
    expect(frame).toMatch(/C 2 H 0 M 0 L 1/);
    const lines = frame.split('\n');
    const falco = lines.findIndex((l) => l.includes('Terminal shell in container'));
    const apt = lines.findIndex((l) => l.includes('package-manager'));
    expect(falco).toBeGreaterThan(0);
    expect(apt).toBeGreaterThan(falco);
    expect(lines[falco]).toMatch(/14:02:12 +CRITICAL .*shop\/web-7d9\/web +×2 +node-a/);
    expect(lines[falco]).toContain('×2');
    expect(frame).toContain('q quit');
    unmount();
  });

  it('fits 80×24: every row one line within 80 columns, the header on top, the footer at the bottom', () => {
    const store = storeWithEvents();
    for (let i = 0; i < 60; i++)
      store.addEvent(
        runtimeFinding(String(100 + i), 'high', {
          ruleId: 'drift-executable-not-in-image-sbom',
          resource: {
            namespace: 'wordsmith',
            kind: 'Pod',
            name: `aggregator-fa252-${i}`,
            container: 'aggregator-sidecar',
            node: 'ip-10-0-12-34.eu-west-1.compute.internal',
          },
        }),
      );
    const { lastFrame, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    const lines = plain(lastFrame()).split('\n');
    expect(lines.length).toBe(23);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    expect(lines[0]).toContain('seco watch');
    expect(lines[1]).toMatch(/1 events .*2 findings .*3 scans .*4 nodes/);
    expect(lines[2]).toMatch(/^ TIME +SEVERITY +RULE/);
    expect(lines.at(-1)).toContain('? help');
    // The rule is worth more than the node: it is shown whole, the node column gives way first.
    expect(lines[3]).toContain('drift-executable-not-in-image-sbom');
    unmount();
  });

  it('uses the width it has: at 160 columns nothing is cut', () => {
    const store = storeWithEvents();
    store.addEvent(
      runtimeFinding('7', 'high', {
        ruleId: 'drift-executable-not-in-image-sbom',
        resource: {
          namespace: 'wordsmith',
          kind: 'Pod',
          name: 'aggregator-fa252',
          container: 'aggregator',
          node: 'node-a',
        },
      }),
    );
    const { lastFrame, unmount } = render(<WatchScreen store={store} size={{ columns: 160, rows: 45 }} />);
    const frame = plain(lastFrame());
    expect(frame).toContain('drift-executable-not-in-image-sbom');
    expect(frame).toContain('wordsmith/aggregator-fa252/aggregator');
    expect(frame).not.toContain('…');
    expect(frame.split('\n').length).toBe(44);
    unmount();
  });

  it('follows the store: a disconnect shows a banner, a new event shows without a re-render from outside', async () => {
    const store = storeWithEvents();
    const { lastFrame, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    store.setConnection('reconnecting', 'connection closed (1012); retrying in 1s');
    store.addEvent(runtimeFinding('3', 'high', { ruleId: 'crypto-miner' }));
    await tick();
    expect(plain(lastFrame())).toContain(
      'connection lost — reconnecting: connection closed (1012); retrying in 1s',
    );
    expect(plain(lastFrame())).toContain('crypto-miner');
    store.setConnection('connected');
    await tick();
    expect(plain(lastFrame())).not.toContain('connection lost');
    unmount();
  });

  it('opens the selected event with evidence, remediation, references and process tree; esc goes back', async () => {
    const store = storeWithEvents();
    store.addEvent(
      runtimeFinding('9', 'high', {
        ruleId: 'shell-in-container',
        title: 'A shell ran in a container',
        description: 'A shell ran in a container',
        evidence: 'shell in container <NA>/<NA> (<NA>): bash -i [pid 42 exe /bin/bash uid 0 via netlink]',
        resource: { kind: 'Container', name: '3f2a9c1b7d4e', node: 'node-a' },
        process: {
          pid: 42,
          name: 'bash',
          cmdline: 'bash -i',
          uid: 0,
          ancestors: [
            { pid: 40, name: 'sh', cmdline: 'sh -c bash -i' },
            { pid: 1, name: 'containerd-shim' },
          ],
        },
      }),
    );
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    await keys(stdin, ENTER);
    const frame = plain(lastFrame());
    expect(frame).toContain('shell in container container 3f2a9c1b7d4e: bash -i');
    expect(frame).not.toContain('<NA>');
    expect(frame.match(/A shell ran in a container/g)).toHaveLength(1);
    expect(frame).toContain('Remove shells from the image');
    expect(frame).toContain('MITRE T1059');
    expect(frame).toMatch(
      /containerd-shim \(pid 1\)\n +└─ sh -c bash -i \(pid 40\)\n +└─ bash -i \(pid 42, uid 0\) +← this event/,
    );
    await keys(stdin, ESC);
    expect(plain(lastFrame())).toContain('TIME');
    unmount();
  });

  it('moves with j/k, arrows, g/G and pages; the cursor row is inverse', async () => {
    const store = new WatchStore({ target: 't' }, () => new Date('2026-11-22T14:02:12Z'));
    for (let i = 0; i < 50; i++) store.addEvent(runtimeFinding(String(i), 'high', { ruleId: `rule-${i}` }));
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    // The cursor row is the inverse one below the two header lines (whose current tab is inverse too).
    const cursorRow = () =>
      plain(
        lastFrame()!
          .split('\n')
          .slice(2)
          .find((l) => l.includes('\u001b[7m')),
      );
    await tick();
    expect(cursorRow()).toContain('rule-49');
    await keys(stdin, 'j', DOWN);
    expect(cursorRow()).toContain('rule-47');
    await keys(stdin, 'k');
    expect(cursorRow()).toContain('rule-48');
    await keys(stdin, 'G');
    expect(cursorRow()).toContain('rule-0 ');
    await keys(stdin, 'g');
    expect(cursorRow()).toContain('rule-49');
    await keys(stdin, '\u001B[6~');
    expect(cursorRow()).toContain('rule-30');
    await keys(stdin, '\u001B[5~');
    expect(cursorRow()).toContain('rule-49');
    unmount();
  });

  it('filters incrementally with / on any column, keeps it on enter, clears it with esc', async () => {
    const store = storeWithEvents();
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    await keys(stdin, '/', 'f', 'a');
    expect(plain(lastFrame())).toContain('/fa');
    expect(plain(lastFrame())).toContain('Terminal shell in container');
    expect(plain(lastFrame())).not.toContain('package-manager');
    expect(plain(lastFrame())).toContain('1 of 2 events');
    await keys(stdin, ENTER);
    expect(plain(lastFrame())).not.toContain('package-manager');
    await keys(stdin, ESC);
    expect(plain(lastFrame())).toContain('package-manager');
    // Typed faster than a frame, the keys arrive as one string: still a / and then the filter.
    await keys(stdin, '/pack', ENTER);
    expect(plain(lastFrame())).not.toContain('Terminal shell');
    expect(plain(lastFrame())).toContain('package-manager');
    await keys(stdin, ESC);
    // Esc while typing clears as well.
    await keys(stdin, '/', 'z', 'z', ESC);
    expect(plain(lastFrame())).toContain('package-manager');
    unmount();
  });

  it('keeps the footer on the last line with help or details open, and with one scan says scan', async () => {
    const store = storeWithEvents();
    store.setScans([{ scanId: '01jd5x0000000000000000000a', target: 'shop/web', summary: { high: 1 } }]);
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    for (const open of ['?', ENTER]) {
      await keys(stdin, open);
      const lines = plain(lastFrame()).split('\n');
      expect(lines).toHaveLength(23);
      expect(lines[0]).toContain('seco watch');
      expect(lines.at(-1)).toContain('q quit');
      expect(lines.filter((l) => l.includes('q quit'))).toHaveLength(1);
      await keys(stdin, ESC);
    }
    await keys(stdin, '3');
    expect(plain(lastFrame()).split('\n')[1]).toMatch(/ 1 scan ≥info/);
    unmount();
  });

  it('lists every key in the ? overlay and closes it with esc', async () => {
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={storeWithEvents()} size={SMALL} />);
    await keys(stdin, '?');
    const frame = plain(lastFrame());
    for (const key of ['1 2 3 4', ':name', '/text', 'k j', 'PgUp PgDn', 'g G', 'esc', 'q  ctrl-c'])
      expect(frame).toContain(key);
    await keys(stdin, ESC);
    expect(plain(lastFrame())).toContain('TIME');
    unmount();
  });

  it('switches screens with 1–4 and with the : prompt, and says so for an unknown command', async () => {
    const store = storeWithEvents();
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    await keys(stdin, '4');
    expect(plain(lastFrame())).toMatch(/NODE +AGENT/);
    await keys(stdin, ':', 'f', 'i', ENTER);
    expect(plain(lastFrame())).toMatch(/SEVERITY +NAMESPACE +RESOURCE/);
    await keys(stdin, ':', 's', 'c', 'a', 'n', 's', ENTER);
    expect(plain(lastFrame())).toMatch(/SCAN +TARGET +STATE/);
    await keys(stdin, ':', 'x', 'y', ENTER);
    expect(plain(lastFrame())).toContain('unknown command :xy');
    await keys(stdin, '1');
    expect(plain(lastFrame())).toMatch(/TIME +SEVERITY +RULE/);
    unmount();
  });

  it('cycles the minimum severity with s, hiding what is below it', async () => {
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={storeWithEvents()} size={SMALL} />);
    await keys(stdin, 's', 's');
    expect(plain(lastFrame())).toContain('≥medium');
    expect(plain(lastFrame())).not.toContain('package-manager');
    unmount();
  });

  it('draws control characters from evidence as placeholders, never raw', async () => {
    const store = storeWithEvents();
    store.addEvent(
      runtimeFinding('4', 'critical', { evidence: 'sh -c "\u001b]0;pwned\u0007"', title: 'escape' }),
    );
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} size={SMALL} />);
    await keys(stdin, ENTER);
    expect(plain(lastFrame())).toContain('sh -c "�]0;pwned�"');
    expect(plain(lastFrame())).not.toContain('\u0007');
    unmount();
  });

  it('draws no colour when colour is off, the cursor still inverse', () => {
    const { lastFrame, unmount } = render(
      <WatchScreen store={storeWithEvents()} size={SMALL} colour={false} />,
    );
    const frame = lastFrame()!;
    // SGR 3x/9x are foreground colours; 1 (bold), 2 (dim), 7 (inverse) are not.
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for escapes is the point
    expect(frame).not.toMatch(/\u001b\[(3\d|9\d)m/);
    expect(frame).toContain('\u001b[7m');
    unmount();
  });
});
