import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { SCREEN_MODELS } from '../../../../plugin/tui/screens/index.js';
import { WatchStore } from '../../../../plugin/tui/watch-store.js';
import { runtimeFinding } from './runtime-finding.js';

const clock = () => new Date('2026-11-22T14:02:12.000Z');
const eventIds = (store: WatchStore) =>
  SCREEN_MODELS.events.rows(store.getSnapshot(), clock()).map((r) => r.key.slice(-1));

describe('WatchStore', () => {
  it('starts connecting, then follows the connection state and user', () => {
    const store = new WatchStore({ target: 'ws://x/ws' }, clock);
    expect(store.getSnapshot().connection).toEqual({ state: 'connecting' });
    store.setUser('alice');
    store.setConnection('reconnecting', 'connection closed (1012)');
    expect(store.getSnapshot()).toMatchObject({
      user: 'alice',
      connection: { state: 'reconnecting', message: 'connection closed (1012)' },
    });
  });

  it('puts the newest event first and de-duplicates by finding id with a repeat count', () => {
    const store = new WatchStore({ target: 't' }, clock);
    store.addEvent(runtimeFinding('a', 'high'));
    store.addEvent(runtimeFinding('b', 'low', { ruleId: 'package-manager' }));
    store.addEvent(runtimeFinding('a', 'high', { lastSeen: '2026-11-22T14:03:00.000Z' }));
    const { events, bySeverity, byRule, lastEventAt } = store.getSnapshot();
    expect(events.map((e) => [e.finding.id.slice(-1), e.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(events[0]!.receivedAt).toBe('2026-11-22T14:02:12.000Z');
    expect(bySeverity).toMatchObject({ high: 2, low: 1, critical: 0 });
    expect(byRule).toEqual({ 'shell-in-container': 2, 'package-manager': 1 });
    expect(lastEventAt).toBe('2026-11-22T14:03:00.000Z');
  });

  it('counts an occurrence resent by a catch-up once (same finding, same lastSeen)', () => {
    const store = new WatchStore({ target: 't' }, clock);
    store.addEvent(runtimeFinding('a', 'high'));
    store.addEvent(runtimeFinding('a', 'high'));
    expect(store.getSnapshot().events[0]!.count).toBe(1);
    expect(store.getSnapshot().bySeverity.high).toBe(1);
  });

  it('keeps at most capacity events, dropping the oldest, while counts keep everything', () => {
    const store = new WatchStore({ target: 't', capacity: 3 }, clock);
    for (const id of ['1', '2', '3', '4', '5']) store.addEvent(runtimeFinding(id, 'medium'));
    const { events, bySeverity } = store.getSnapshot();
    expect(events.map((e) => e.finding.id.slice(-1))).toEqual(['5', '4', '3']);
    expect(bySeverity.medium).toBe(5);
  });

  it('filters by min severity and namespace, s cycles the min severity round, :ns changes namespaces', () => {
    const store = new WatchStore({ target: 't', filters: { namespaces: ['shop'] } }, clock);
    store.addEvent(runtimeFinding('1', 'low'));
    store.addEvent(runtimeFinding('2', 'critical'));
    store.addEvent(
      runtimeFinding('3', 'critical', { resource: { namespace: 'other', name: 'p', node: 'node-a' } }),
    );
    expect(eventIds(store)).toEqual(['2', '1']);
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      store.cycleMinSeverity();
      seen.push(store.getSnapshot().filters.minSeverity);
    }
    expect(seen).toEqual(['low', 'medium', 'high', 'critical', 'info']);
    store.cycleMinSeverity();
    store.cycleMinSeverity();
    expect(eventIds(store)).toEqual(['2']);
    store.openPrompt('command');
    store.editPrompt('ns all');
    store.submitPrompt();
    expect(eventIds(store)).toEqual(['3', '2']);
    store.openPrompt('command');
    store.editPrompt('ns other');
    store.submitPrompt();
    expect(eventIds(store)).toEqual(['3']);
  });

  it('runs : commands: screen names and prefixes, q, and a notice for anything else', () => {
    const store = new WatchStore({ target: 't' }, clock);
    const run = (text: string) => {
      store.openPrompt('command');
      store.editPrompt(text);
      return store.submitPrompt();
    };
    expect(run('findings')).toBe(false);
    expect(store.getSnapshot().ui.screen).toBe('findings');
    run('no');
    expect(store.getSnapshot().ui.screen).toBe('nodes');
    run('sc');
    expect(store.getSnapshot().ui.screen).toBe('scans');
    run('bogus');
    expect(store.getSnapshot().ui.notice).toContain('unknown command :bogus');
    expect(run('q')).toBe(true);
  });

  it('opens a stored scan through the loader, and says why when there is none', () => {
    const store = new WatchStore({ target: 't' }, clock);
    store.openScan('s1');
    expect(store.getSnapshot().openedScan).toMatchObject({ state: 'failed', error: 'not connected' });
    const asked: string[] = [];
    store.setScanLoader((id) => asked.push(id));
    store.openScan('s2');
    expect(asked).toEqual(['s2']);
    expect(store.getSnapshot().ui).toMatchObject({ screen: 'findings', scanFocus: 's2' });
    expect(store.getSnapshot().openedScan?.state).toBe('loading');
    store.setOpenedScan({
      scanId: 's2',
      state: 'loaded',
      findings: [runtimeFinding('1', 'high')],
      problems: [],
    });
    expect(store.getSnapshot().openedScan?.findings).toHaveLength(1);
    // A late answer for a scan no longer open is dropped.
    store.setOpenedScan({ scanId: 's1', state: 'loaded', findings: [], problems: [] });
    expect(store.getSnapshot().openedScan?.scanId).toBe('s2');
    store.back();
    expect(store.getSnapshot().ui).toMatchObject({ screen: 'scans', scanFocus: undefined });
  });

  it('notifies subscribers with a new snapshot, and stops when unsubscribed', () => {
    const store = new WatchStore({ target: 't' }, clock);
    const listener = jest.fn();
    const unsubscribe = store.subscribe(listener);
    const before = store.getSnapshot();
    store.addEvent(runtimeFinding('1', 'high'));
    expect(store.getSnapshot()).not.toBe(before);
    store.openDetail();
    expect(store.getSnapshot().ui.detail).toBe(true);
    expect(listener).toHaveBeenCalledTimes(2);
    unsubscribe();
    store.setScans([]);
    expect(listener).toHaveBeenCalledTimes(2);
  });

  describe('drawing data', () => {
    // Fake timers: what is asserted is which frame a change is drawn in, not how fast the machine is.
    const timed = (screen: 'events' | 'findings') => {
      jest.useFakeTimers();
      const store = new WatchStore({ target: 't', screen, coalesceMs: 100, unseenMs: 1000 }, clock);
      const listener = jest.fn();
      store.subscribe(listener);
      return { store, listener };
    };
    afterEach(() => {
      jest.useRealTimers();
    });

    it('draws what the screen lists within coalesceMs, many changes in one frame', () => {
      const { store, listener } = timed('events');
      for (const id of ['1', '2', '3']) store.addEvent(runtimeFinding(id, 'high'));
      jest.advanceTimersByTime(99);
      expect(listener).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(listener).toHaveBeenCalledTimes(1);
    });

    it('draws data the screen does not list (events under the findings) within unseenMs', () => {
      const { store, listener } = timed('findings');
      store.addEvent(runtimeFinding('1', 'high'));
      jest.advanceTimersByTime(999);
      expect(listener).not.toHaveBeenCalled();
      jest.advanceTimersByTime(1);
      expect(listener).toHaveBeenCalledTimes(1);
      expect(store.getSnapshot().bySeverity.high).toBe(1);
    });

    it('draws sooner when listed data follows unlisted data, and a key at once with everything', () => {
      const { store, listener } = timed('findings');
      store.addEvent(runtimeFinding('1', 'high'));
      jest.advanceTimersByTime(50);
      store.setConnection('reconnecting');
      jest.advanceTimersByTime(100);
      expect(listener).toHaveBeenCalledTimes(1);
      store.addEvent(runtimeFinding('2', 'low'));
      store.showScreen('events');
      expect(listener).toHaveBeenCalledTimes(2);
      expect(store.getSnapshot().events).toHaveLength(2);
      jest.advanceTimersByTime(2000);
      expect(listener).toHaveBeenCalledTimes(2);
    });
  });
});
