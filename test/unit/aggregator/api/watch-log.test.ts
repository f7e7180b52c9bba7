import { describe, expect, it } from '@jest/globals';
import { ResourceVersionGone, WatchLog } from '../../../../aggregator/api/watch-log.js';

describe('WatchLog', () => {
  it('gives a watch from a list’s version every later change, in order, then the live ones', () => {
    let now = 1_000;
    const log = new WatchLog<string>(10, () => now);
    const listed = log.current();
    log.append('ADDED', 'a');
    log.append('MODIFIED', 'a'); // same millisecond: versions still strictly increase
    now = 2_000;
    const live: string[] = [];
    const { missed, stop } = log.follow(listed, (e) => live.push(`${e.type} ${e.entry}`));
    expect(missed.map((e) => `${e.type} ${e.entry}`)).toEqual(['ADDED a', 'MODIFIED a']);
    expect(missed[1]!.resourceVersion).toBeGreaterThan(missed[0]!.resourceVersion);
    expect(missed[0]!.resourceVersion).toBeGreaterThan(listed);
    log.append('DELETED', 'a');
    stop();
    log.append('ADDED', 'b');
    expect(live).toEqual(['DELETED a']);
  });

  it('answers Gone for a version from before it started or before the oldest change it kept', () => {
    let now = 5_000;
    const log = new WatchLog<number>(2, () => now);
    expect(() => log.follow(4_000 * 1000, () => undefined)).toThrow(ResourceVersionGone);
    const start = log.current();
    now = 6_000;
    for (const n of [1, 2, 3]) log.append('ADDED', n);
    // The first change was dropped: a watch from before it would miss it.
    expect(() => log.follow(start, () => undefined)).toThrow(/too old resource version/);
    const kept = log.follow(log.current() - 1, () => undefined);
    expect(kept.missed.map((e) => e.entry)).toEqual([3]);
    expect(() => log.follow(Number.NaN, () => undefined)).toThrow(ResourceVersionGone);
  });

  it('makes versions of one moment mean the same on every replica (microseconds of the clock)', () => {
    const a = new WatchLog<string>(10, () => 7_000);
    const b = new WatchLog<string>(10, () => 7_000);
    expect(a.current()).toBe(7_000_000);
    // A version handed out by replica a is within what replica b has kept since it started.
    expect(b.follow(a.current(), () => undefined).missed).toEqual([]);
  });
});
