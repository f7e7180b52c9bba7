import { describe, expect, it } from '@jest/globals';
import type { ScanCoordinator } from '../../../aggregator/scan-coordinator.js';
import { ScanFinisher } from '../../../aggregator/scan-finisher.js';

/** A coordinator whose store fails every claim: each call that gets through is one attempt. */
function failingCoordinator(clock: { now: number }) {
  let attempts = 0;
  const coordinator = {
    now: () => clock.now,
    store: {
      update: async () => {
        attempts++;
        throw new Error('S3 is away');
      },
    },
  } as unknown as ScanCoordinator;
  return { coordinator, attempts: () => attempts };
}

describe('ScanFinisher retries', () => {
  it('backs off after a failed finish instead of reassembling the report on every tick', async () => {
    const clock = { now: 0 };
    const { coordinator, attempts } = failingCoordinator(clock);
    const finisher = new ScanFinisher(coordinator);
    await expect(finisher.finish('s1')).rejects.toThrow(
      /finishing failed \(S3 is away\); tried again in \d+ s/,
    );
    // One tick a second for 60 s: the attempts double apart (1, 2, 4, 8, 16, 32 s with jitter), not 60.
    for (clock.now = 1000; clock.now <= 60_000; clock.now += 1000)
      await finisher.finish('s1').catch(() => undefined);
    expect(attempts()).toBeGreaterThanOrEqual(5);
    expect(attempts()).toBeLessThanOrEqual(8);
  });
});
