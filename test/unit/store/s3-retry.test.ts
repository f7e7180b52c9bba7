import { describe, expect, it } from '@jest/globals';
import { isTransient, retrying } from '../../../core/store/s3/s3-retry.js';

const failure = (code: string) => Object.assign(new Error(`failed with ${code}`), { code });
const policy = { attempts: 3, baseDelayMs: 1 };

describe('retrying S3 requests', () => {
  it('tries again after transient failures (5xx, SlowDown, reset sockets) and returns the answer', async () => {
    const codes = ['SlowDown', 'ECONNRESET'];
    let calls = 0;
    const value = await retrying('put k', policy, async () => {
      const code = codes[calls++];
      if (code) throw failure(code);
      return 'ok';
    });
    expect([value, calls]).toEqual(['ok', 3]);
  });

  it('gives up after its attempts, naming the operation and the last code', async () => {
    let calls = 0;
    await expect(
      retrying('get k', policy, async () => {
        calls++;
        throw failure('InternalError');
      }),
    ).rejects.toThrow('S3 get k: InternalError: failed with InternalError');
    expect(calls).toBe(3);
  });

  it('does not retry an answer: access denied fails at once, a missing key passes through as is', async () => {
    let calls = 0;
    await expect(
      retrying('put k', policy, async () => {
        calls++;
        throw failure('AccessDenied');
      }),
    ).rejects.toThrow(/AccessDenied/);
    expect(calls).toBe(1);
    const missing = failure('NoSuchKey');
    await expect(retrying('get k', policy, async () => Promise.reject(missing))).rejects.toBe(missing);
  });

  it('classifies by code only', () => {
    expect(isTransient(failure('ServiceUnavailable'))).toBe(true);
    expect(isTransient(failure('NoSuchBucket'))).toBe(false);
    expect(isTransient(undefined)).toBe(false);
    expect(isTransient('ECONNRESET')).toBe(false);
  });
});
