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

describe('aggregatorConfig job deadlines', () => {
  it("defaults to the agents' own deadlines per kind and 30 s of grace", () => {
    const config = aggregatorConfig([], keys);
    expect(config.jobDeadlinesMs).toEqual({
      image: 900_000,
      host: 300_000,
      runtime: 300_000,
      tools: 1_800_000,
    });
    expect(config.jobDeadlineGraceMs).toBe(30_000);
  });

  it('takes KIND=SECONDS or one figure for every kind, and refuses anything else naming the flag', () => {
    expect(aggregatorConfig(['--job-deadline', 'image=60'], keys).jobDeadlinesMs).toEqual({
      image: 60_000,
      host: 300_000,
      runtime: 300_000,
      tools: 1_800_000,
    });
    expect(aggregatorConfig([], { ...keys, SECO_JOB_DEADLINE: '5' }).jobDeadlinesMs.runtime).toBe(5000);
    expect(() => aggregatorConfig(['--job-deadline', 'pull=5'], keys)).toThrow('--job-deadline: "pull=5"');
    expect(() => aggregatorConfig(['--job-deadline-grace', '-1'], keys)).toThrow('--job-deadline-grace');
  });
});
