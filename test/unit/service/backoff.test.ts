import { describe, expect, it } from '@jest/globals';
import { Backoff, retrying } from '../../../core/service/backoff.js';

describe('Backoff', () => {
  it('doubles from the first delay up to the cap, within ±25 % jitter, and starts over on reset', () => {
    const backoff = new Backoff({ firstMs: 100, maxMs: 1000 });
    const delays = Array.from({ length: 6 }, () => backoff.next());
    const bases = [100, 200, 400, 800, 1000, 1000];
    delays.forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(bases[i]! * 0.75);
      expect(delay).toBeLessThanOrEqual(bases[i]! * 1.25);
    });
    backoff.reset();
    expect(backoff.next()).toBeLessThanOrEqual(125);
  });
});

describe('retrying', () => {
  it('retries a failing attempt until it succeeds, telling each failure', async () => {
    let calls = 0;
    const heard: string[] = [];
    const value = await retrying(
      async () => {
        if (++calls < 3) throw new Error(`down ${calls}`);
        return 'up';
      },
      { forMs: 10_000, firstMs: 1, maxMs: 2, onRetry: (e) => heard.push((e as Error).message) },
    );
    expect(value).toBe('up');
    expect(heard).toEqual(['down 1', 'down 2']);
  });

  it('throws at once an error no retry can fix, and the last error when the time is up', async () => {
    let calls = 0;
    await expect(
      retrying(
        async () => {
          calls++;
          throw new Error('message too large');
        },
        { forMs: 10_000, firstMs: 1, retryIf: (e) => !/too large/.test(String(e)) },
      ),
    ).rejects.toThrow('message too large');
    expect(calls).toBe(1);
    await expect(
      retrying(
        async () => {
          throw new Error('still down');
        },
        { forMs: 0 },
      ),
    ).rejects.toThrow('still down');
  });
});
