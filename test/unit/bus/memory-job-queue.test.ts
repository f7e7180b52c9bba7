import { describe, expect, it } from '@jest/globals';
import type { DeadJob } from '../../../core/bus/bus.js';
import { MemoryJobQueue } from '../../../core/bus/memory/memory-job-queue.js';

const bytes = (s: string) => new Uint8Array(Buffer.from(s));

describe('MemoryJobQueue', () => {
  it('lets a late ack from an earlier taker finish the job, as JetStream acks by stream sequence', async () => {
    const queue = new MemoryJobQueue('n', { ackWaitMs: 50, maxDeliver: 5 }, () => {});
    queue.publish(bytes('j'));
    const first = await queue.take(100);
    const second = await queue.take(500); // after first's ack wait ran out
    expect(second!.deliveryCount).toBe(2);
    await first!.ack();
    expect(await queue.take(150)).toBeUndefined();
    queue.close();
  });

  it('ignores a nak or working from a taker whose delivery was superseded', async () => {
    const dead: DeadJob[] = [];
    const queue = new MemoryJobQueue('n', { ackWaitMs: 50, maxDeliver: 2 }, (d) => dead.push(d));
    queue.publish(bytes('j'));
    const first = await queue.take(100);
    const second = await queue.take(500);
    await first!.nak(); // stale: must not count as the second delivery ending
    await first!.working();
    expect(dead).toEqual([]);
    await second!.ack();
    queue.close();
  });

  it('copies message bytes so a publisher reusing its buffer changes nothing queued', async () => {
    const queue = new MemoryJobQueue('n', { ackWaitMs: 1000, maxDeliver: 2 }, () => {});
    const buffer = bytes('abc');
    queue.publish(buffer);
    buffer[0] = 0x7a;
    expect(Buffer.from((await queue.take(10))!.data).toString()).toBe('abc');
    queue.close();
  });

  it('returns nothing once closed, and wakes a waiting taker', async () => {
    const queue = new MemoryJobQueue('n', { ackWaitMs: 1000, maxDeliver: 2 }, () => {});
    const waiting = queue.take(5000);
    queue.close();
    expect(await waiting).toBeUndefined();
  });
});
