import { describe, expect, it } from '@jest/globals';
import { refusedOutcome } from '../../../agent/refused-job.js';

const bytes = (text: string) => Buffer.from(text);

describe('refusedOutcome', () => {
  it('answers a job it cannot read with a failed outcome to the scan and job it names', () => {
    expect(
      refusedOutcome(bytes('{"v":1,"kind":"disk","scanId":"s1","jobId":"j1"}'), 'node-a', 'unknown kind'),
    ).toEqual({
      v: 1,
      type: 'job.done',
      jobId: 'j1',
      scanId: 's1',
      node: 'node-a',
      status: 'failed',
      findings: 0,
      error: 'refused by the agent on node node-a: unknown kind',
    });
  });

  it('has no one to answer when the message names no legible scan and job', () => {
    expect(refusedOutcome(bytes('not json'), 'n', 'x')).toBeUndefined();
    expect(refusedOutcome(bytes('[1,2]'), 'n', 'x')).toBeUndefined();
    expect(refusedOutcome(bytes('{"scanId":"s1"}'), 'n', 'x')).toBeUndefined();
    expect(
      refusedOutcome(bytes(JSON.stringify({ scanId: 's'.repeat(129), jobId: 'j' })), 'n', 'x'),
    ).toBeUndefined();
  });
});
