import { describe, expect, it } from '@jest/globals';
import { TimedOutError, withinTime } from '../../../core/service/within-time.js';

describe('withinTime', () => {
  it("passes the work's result and its own failure through", async () => {
    await expect(withinTime(Promise.resolve(42), 1000, 'answer')).resolves.toBe(42);
    await expect(withinTime(Promise.reject(new Error('refused')), 1000, 'answer')).rejects.toThrow('refused');
  });

  it('gives up on work that never settles, naming what it waited for', async () => {
    const never = new Promise<number>(() => undefined);
    const failed = withinTime(never, 20, 'NATS round trip to 127.0.0.1:4222');
    await expect(failed).rejects.toBeInstanceOf(TimedOutError);
    await expect(failed).rejects.toThrow('NATS round trip to 127.0.0.1:4222: no answer within 20 ms');
  });
});
