import { describe, expect, it } from '@jest/globals';
import { JobTimeoutError, watchJob } from '../../../agent/job-watch.js';

const never = (signal: AbortSignal) =>
  new Promise<never>((_, reject) =>
    signal.addEventListener('abort', () => reject(new Error('aborted late'))),
  );

describe('watchJob', () => {
  it('returns what the job returns, with both timers cleared', async () => {
    expect(await watchJob({ deadlineMs: 60_000, idleMs: 60_000 }, async () => 42)).toBe(42);
  });

  it('ends a job without progress with "no progress for Ns" and aborts its signal with that reason', async () => {
    let signal: AbortSignal | undefined;
    const result = watchJob({ deadlineMs: 60_000, idleMs: 50 }, (watch) => {
      signal = watch.signal;
      return never(watch.signal);
    });
    await expect(result).rejects.toThrow(new JobTimeoutError('no progress for 0.1s'));
    expect(signal?.aborted).toBe(true);
    expect((signal?.reason as Error | undefined)?.message).toBe('no progress for 0.1s');
  });

  it('keeps a job that reports progress alive until its deadline', async () => {
    const result = watchJob({ deadlineMs: 300, idleMs: 100 }, (watch) => {
      const timer = setInterval(watch.progress, 20);
      watch.signal.addEventListener('abort', () => clearInterval(timer));
      return never(watch.signal);
    });
    await expect(result).rejects.toThrow('over its deadline of 0.3s');
  });

  it('answers at once even when the work ignores its signal', async () => {
    const ignoring = new Promise<number>((resolve) => setTimeout(() => resolve(1), 2000).unref());
    await expect(watchJob({ deadlineMs: 50, idleMs: 50 }, () => ignoring)).rejects.toBeInstanceOf(
      JobTimeoutError,
    );
  });
});
