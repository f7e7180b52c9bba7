import { describe, expect, test } from '@jest/globals';
import { RateLimiter } from '../../../core/runtime/rate-limiter.js';

describe('RateLimiter', () => {
  test('holds back repeats of a key within the window and reports their count with the next one', () => {
    const limiter = new RateLimiter({ dedupeWindowMs: 1000, burst: 100, burstWindowMs: 1000 });
    expect(limiter.admit('r', 'k', 0)).toEqual({ emit: true, repeats: 0 });
    expect(limiter.admit('r', 'k', 10).emit).toBe(false);
    expect(limiter.admit('r', 'k', 20).emit).toBe(false);
    expect(limiter.admit('r', 'other', 30).emit).toBe(true);
    expect(limiter.admit('r', 'k', 1500)).toEqual({ emit: true, repeats: 2 });
  });

  test('a folded event of count n emits once with n - 1 repeats, or holds all n', () => {
    const limiter = new RateLimiter({ dedupeWindowMs: 1000, burst: 10, burstWindowMs: 1000 });
    expect(limiter.admit('r', 'k', 0, 5)).toEqual({ emit: true, repeats: 4 });
    expect(limiter.admit('r', 'k', 10, 3)).toEqual({ emit: false, repeats: 0 });
    expect(limiter.admit('r', 'k', 2000)).toEqual({ emit: true, repeats: 3 });
  });

  test('caps a rule per burst window and keeps the count of what it held', () => {
    const limiter = new RateLimiter({ dedupeWindowMs: 1, burst: 2, burstWindowMs: 1000 });
    const emitted = Array.from({ length: 5 }, (_, i) => limiter.admit('noisy', `k${i}`, 10).emit);
    expect(emitted).toEqual([true, true, false, false, false]);
    expect(limiter.drain().reduce((n, h) => n + h.held, 0)).toBe(3);
    expect(limiter.drain()).toEqual([]);
  });
});
