import { afterEach, describe, expect, it } from '@jest/globals';
import { ScanPublisher } from '../../../aggregator/scan-publisher.js';
import type { JobRecord, ScanRecord } from '../../../aggregator/scan-record.js';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { subjects } from '../../../core/protocol/index.js';

const job = (node: string, state: JobRecord['state']): JobRecord => ({
  kind: 'host',
  node,
  state,
  queuedAt: 0,
});

function record(settled: number, total: number): ScanRecord {
  const jobs: Record<string, JobRecord> = {};
  for (let i = 0; i < total; i++) jobs[`j${i}`] = job(`node-${i % 3}`, i < settled ? 'acked' : 'queued');
  return {
    scanId: 's1',
    target: { allNamespaces: true },
    targetName: '*',
    requestedBy: 'test',
    scanners: ['host'],
    status: 'running',
    startedAt: new Date(0).toISOString(),
    deadline: 0,
    owner: 'r',
    leaseUntil: 0,
    jobs,
    problems: [],
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let bus: MemoryBus;
afterEach(async () => bus?.close());

async function listen(): Promise<Array<{ jobs: { acked: number }; message?: string }>> {
  bus = new MemoryBus({ ackWaitMs: 1000, maxDeliver: 2 });
  const seen: Array<{ jobs: { acked: number }; message?: string }> = [];
  await bus.subscribe(subjects.scan('s1'), (_s, data) => seen.push(JSON.parse(Buffer.from(data).toString())));
  return seen;
}

describe('ScanPublisher progress', () => {
  it('sends the first change at once and coalesces the rest of the interval into its newest state', async () => {
    const seen = await listen();
    const publisher = new ScanPublisher(bus, 100);
    for (let settled = 1; settled <= 300; settled++)
      await publisher.publishProgress(record(settled, 300), `host job j${settled - 1}: acked`);
    expect(seen.map((m) => m.jobs.acked)).toEqual([1]);
    await sleep(150);
    expect(seen.map((m) => m.jobs.acked)).toEqual([1, 300]);
    // What the interval said: the first 16 messages, the rest counted.
    const said = seen[1]!.message!.split('; ');
    expect(said).toHaveLength(17);
    expect(said[0]).toBe('host job j1: acked');
    expect(said.at(-1)).toBe('and 283 more');
  });

  it('flush sends what waits before the report, and nothing is sent after it', async () => {
    const seen = await listen();
    const publisher = new ScanPublisher(bus, 100);
    await publisher.publishProgress(record(1, 2));
    await publisher.publishProgress(record(2, 2), 'host job j1: acked');
    await publisher.flushProgress('s1');
    expect(seen.map((m) => m.jobs.acked)).toEqual([1, 2]);
    await sleep(150);
    expect(seen).toHaveLength(2);
  });

  it('a change after a quiet interval goes out at once', async () => {
    const seen = await listen();
    const publisher = new ScanPublisher(bus, 50);
    await publisher.publishProgress(record(1, 3));
    await sleep(80);
    await publisher.publishProgress(record(2, 3));
    expect(seen.map((m) => m.jobs.acked)).toEqual([1, 2]);
  });
});
