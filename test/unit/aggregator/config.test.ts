import { describe, expect, it } from '@jest/globals';
import { aggregatorConfig } from '../../../aggregator/config.js';

const keys = { SECO_S3_ACCESS_KEY: 'k', SECO_S3_SECRET_KEY: 's' };

describe('aggregatorConfig admission limits', () => {
  it('defaults to 4096 connections, 1000 waiting for hello, 50 per source, 16 KiB and 10 s before hello', () => {
    expect(aggregatorConfig([], keys).admission).toMatchObject({
      maxConnections: 4096,
      maxPreAuth: 1000,
      maxPreAuthPerSource: 50,
      preAuthMaxBytes: 16384,
      helloTimeoutMs: 10_000,
    });
  });

  it('takes flags over SECO_* environment variables, the memory budget in MiB', () => {
    const { admission } = aggregatorConfig(['--max-preauth-per-source', '5', '--memory-budget', '512'], {
      ...keys,
      SECO_MAX_PREAUTH_PER_SOURCE: '9',
      SECO_MAX_PREAUTH_CONNECTIONS: '200',
      SECO_HELLO_TIMEOUT: '3',
    });
    expect(admission).toMatchObject({
      maxPreAuth: 200,
      maxPreAuthPerSource: 5,
      helloTimeoutMs: 3000,
      memoryBudgetBytes: 512 * 1024 * 1024,
    });
  });

  it('refuses a limit that is not a whole number above zero, naming the flag', () => {
    expect(() => aggregatorConfig(['--max-connections', '0'], keys)).toThrow(
      '--max-connections "0": expected a whole number > 0',
    );
    expect(() => aggregatorConfig([], { ...keys, SECO_PREAUTH_MAX_BYTES: '16k' })).toThrow(
      '--preauth-max-bytes "16k"',
    );
  });
});
