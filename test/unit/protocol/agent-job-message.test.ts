import { describe, expect, it } from '@jest/globals';
import { AgentJobMessage, decodeMessage, MAX_BUS_MESSAGE_BYTES } from '../../../core/protocol/index.js';

const started = {
  v: 1,
  type: 'job.started',
  jobId: 'j1',
  scanId: 's1',
  node: 'node-a',
  startedAt: '2026-12-06T08:00:00.000Z',
  delivery: 1,
  deadlineMs: 900_000,
};
const decode = (value: unknown) =>
  decodeMessage(AgentJobMessage, JSON.stringify(value), MAX_BUS_MESSAGE_BYTES);

describe('AgentJobMessage (seco.progress.<scanId>)', () => {
  it('reads a job start', () => {
    expect(decode(started)).toEqual({ ok: true, value: started });
  });

  it('still reads an outcome as older agents send it (no start before it)', () => {
    const outcome = {
      v: 1,
      type: 'job.done',
      jobId: 'j1',
      scanId: 's1',
      node: 'node-a',
      status: 'acked',
      findings: 3,
    };
    expect(decode(outcome)).toEqual({ ok: true, value: outcome });
  });

  it('refuses a start without its delivery count, with a bad time, or a deadline out of bounds', () => {
    const { delivery: _d, ...noDelivery } = started;
    expect(decode(noDelivery).ok).toBe(false);
    expect(decode({ ...started, startedAt: 'yesterday' }).ok).toBe(false);
    expect(decode({ ...started, deadlineMs: -1 }).ok).toBe(false);
    expect(decode({ ...started, deadlineMs: 8 * 86_400_000 }).ok).toBe(false);
    expect(decode({ ...started, jobId: 'x'.repeat(129) }).ok).toBe(false);
  });

  it('a start without a deadline is accepted: the aggregator then uses its own', () => {
    const { deadlineMs: _d, ...noDeadline } = started;
    expect(decode(noDeadline).ok).toBe(true);
  });
});
