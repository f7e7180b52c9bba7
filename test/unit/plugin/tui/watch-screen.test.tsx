import { describe, expect, it } from '@jest/globals';
import { render } from 'ink-testing-library';
import { WatchScreen } from '../../../../plugin/tui/watch-screen.js';
import { WatchStore } from '../../../../plugin/tui/watch-store.js';
import { runtimeFinding } from './runtime-finding.js';

const tick = () => new Promise((r) => setTimeout(r, 20));
const DOWN = '\u001B[B';
const ENTER = '\r';

function storeWithEvents(): WatchStore {
  const store = new WatchStore({ target: 'ws://127.0.0.1:8080/ws' }, () => new Date('2026-11-22T14:02:12Z'));
  store.setUser('system:serviceaccount:ci:watcher');
  store.setConnection('connected');
  store.addEvent(runtimeFinding('1', 'low', { ruleId: 'package-manager', title: 'apt ran' }));
  store.addEvent(
    runtimeFinding('2', 'critical', { scanner: 'tool:falco', ruleId: 'Terminal shell in container' }),
  );
  store.addEvent(
    runtimeFinding('2', 'critical', { scanner: 'tool:falco', ruleId: 'Terminal shell in container' }),
  );
  store.setScans([
    {
      scanId: 's1',
      target: 'shop/web',
      finishedAt: '2026-11-22T13:00:00.000Z',
      summary: { critical: 1, high: 4, medium: 2, low: 0 },
    },
  ]);
  return store;
}

describe('watch screen', () => {
  it('shows the header, the events newest first with repeats, the scans and the keys', () => {
    const { lastFrame, unmount } = render(<WatchScreen store={storeWithEvents()} />);
    const frame = lastFrame()!;
    expect(frame).toContain('ws://127.0.0.1:8080/ws');
    expect(frame).toContain('as system:serviceaccount:ci:watcher');
    expect(frame).toContain('connected');
    expect(frame).toContain('C 2 H 0 M 0 L 1');
    const lines = frame.split('\n');
    const falco = lines.findIndex((l) => l.includes('Terminal shell in container'));
    const apt = lines.findIndex((l) => l.includes('package-manager'));
    expect(falco).toBeGreaterThan(0);
    expect(apt).toBeGreaterThan(falco);
    expect(lines[falco]).toMatch(/14:02:12 +CRITICAL .*shop\/web-7d9\/web +node-a +×2/);
    expect(frame).toMatch(/1\/4\/2\/0 shop\/web/);
    expect(frame).toContain('q quit');
    unmount();
  });

  it('follows the store: a reconnect and a new event show without a re-render from outside', async () => {
    const store = storeWithEvents();
    const { lastFrame, unmount } = render(<WatchScreen store={store} />);
    store.setConnection('reconnecting', 'connection closed (1012); retrying in 1s');
    store.addEvent(runtimeFinding('3', 'high', { ruleId: 'crypto-miner' }));
    await tick();
    expect(lastFrame()).toContain('reconnecting connection closed (1012); retrying in 1s');
    expect(lastFrame()).toContain('crypto-miner');
    unmount();
  });

  it('opens the selected event with evidence, remediation and MITRE references on enter', async () => {
    const store = storeWithEvents();
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} />);
    await tick();
    stdin.write(DOWN);
    await tick();
    stdin.write(ENTER);
    await tick();
    const frame = lastFrame()!;
    expect(frame).toContain('apt ran');
    expect(frame).toContain('bash -c export AWS_SECRET_ACCESS_KEY=****');
    expect(frame).toContain('Remove shells from the image');
    expect(frame).toContain('MITRE T1059');
    unmount();
  });

  it('cycles the minimum severity with s, hiding what is below it', async () => {
    const store = storeWithEvents();
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} />);
    await tick();
    stdin.write('s');
    stdin.write('s');
    await tick();
    expect(lastFrame()).toContain('min severity: medium');
    expect(lastFrame()).not.toContain('package-manager');
    unmount();
  });

  it('draws control characters from evidence as placeholders, never raw', async () => {
    const store = storeWithEvents();
    store.addEvent(
      runtimeFinding('4', 'critical', { evidence: 'sh -c "\u001b]0;pwned\u0007"', title: 'escape' }),
    );
    const { lastFrame, stdin, unmount } = render(<WatchScreen store={store} />);
    await tick();
    stdin.write(ENTER);
    await tick();
    expect(lastFrame()).toContain('sh -c "�]0;pwned�"');
    expect(lastFrame()).not.toContain('\u0007');
    unmount();
  });
});
