import { describe, expect, it, jest } from '@jest/globals';
import { WatchStore } from '../../../../plugin/tui/watch-store.js';
import { runtimeFinding } from './runtime-finding.js';

const clock = () => new Date('2026-11-22T14:02:12.000Z');

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
    store.addEvent(runtimeFinding('a', 'high'));
    const { events, bySeverity, byRule } = store.getSnapshot();
    expect(events.map((e) => [e.finding.id.slice(-1), e.count])).toEqual([
      ['a', 2],
      ['b', 1],
    ]);
    expect(events[0]!.receivedAt).toBe('2026-11-22T14:02:12.000Z');
    expect(bySeverity).toMatchObject({ high: 2, low: 1, critical: 0 });
    expect(byRule).toEqual({ 'shell-in-container': 2, 'package-manager': 1 });
  });

  it('keeps at most capacity events, dropping the oldest, while counts keep everything', () => {
    const store = new WatchStore({ target: 't', capacity: 3 }, clock);
    for (const id of ['1', '2', '3', '4', '5']) store.addEvent(runtimeFinding(id, 'medium'));
    const { events, bySeverity } = store.getSnapshot();
    expect(events.map((e) => e.finding.id.slice(-1))).toEqual(['5', '4', '3']);
    expect(bySeverity.medium).toBe(5);
  });

  it('filters by min severity and namespace, and s cycles the min severity round', () => {
    const store = new WatchStore({ target: 't', filters: { namespaces: ['shop'] } }, clock);
    store.addEvent(runtimeFinding('1', 'low'));
    store.addEvent(runtimeFinding('2', 'critical'));
    store.addEvent(
      runtimeFinding('3', 'critical', { resource: { namespace: 'other', name: 'p', node: 'node-a' } }),
    );
    expect(store.getSnapshot().visible.map((e) => e.finding.id.slice(-1))).toEqual(['2', '1']);
    const seen: string[] = [];
    for (let i = 0; i < 5; i++) {
      store.cycleMinSeverity();
      seen.push(store.getSnapshot().filters.minSeverity);
    }
    expect(seen).toEqual(['low', 'medium', 'high', 'critical', 'info']);
    store.cycleMinSeverity();
    store.cycleMinSeverity();
    expect(store.getSnapshot().visible.map((e) => e.finding.id.slice(-1))).toEqual(['2']);
  });

  it('follows the newest event at the top, stays on a selected one below it, and clamps to the list', () => {
    const store = new WatchStore({ target: 't' }, clock);
    store.addEvent(runtimeFinding('1', 'high'));
    store.addEvent(runtimeFinding('2', 'high'));
    expect(store.selectedEvent()!.finding.id).toMatch(/2$/);
    store.moveSelection(1);
    expect(store.selectedEvent()!.finding.id).toMatch(/1$/);
    store.addEvent(runtimeFinding('3', 'high'));
    expect(store.selectedEvent()!.finding.id).toMatch(/1$/);
    store.moveSelection(10);
    expect(store.getSnapshot().selected).toBe(2);
    store.moveSelection(-10);
    expect(store.getSnapshot().selected).toBe(0);
  });

  it('opens details only when there is an event, and notifies subscribers with a new snapshot', () => {
    const store = new WatchStore({ target: 't' }, clock);
    const listener = jest.fn();
    const unsubscribe = store.subscribe(listener);
    store.toggleDetail();
    expect(store.getSnapshot().detailOpen).toBe(false);
    const before = store.getSnapshot();
    store.addEvent(runtimeFinding('1', 'high'));
    expect(store.getSnapshot()).not.toBe(before);
    store.toggleDetail();
    expect(store.getSnapshot().detailOpen).toBe(true);
    expect(listener).toHaveBeenCalledTimes(3);
    unsubscribe();
    store.setScans([]);
    expect(listener).toHaveBeenCalledTimes(3);
  });
});
