import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';
import { busContract } from './bus-contract.js';

let nats: RunningNats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(async () => nats?.stop());

busContract('NATS JetStream', {
  open: (options) => NatsBus.connect(nats.url, options),
  peer: (_bus, options) => NatsBus.connect(nats.url, options),
});

describe('NatsBus', () => {
  const options = { ackWaitMs: 1000, maxDeliver: 3 };
  const text = (data: Uint8Array) => Buffer.from(data).toString();

  it('sets up its stream and consumers idempotently when many processes start at once', async () => {
    const buses = await Promise.all(Array.from({ length: 5 }, () => NatsBus.connect(nats.url, options)));
    try {
      const node = `concurrent-${process.pid}`;
      await Promise.all(buses.map((bus, i) => bus.publishJob(node, Buffer.from(`j${i}`))));
      const got: string[] = [];
      for (let job = await buses[0]!.nextJob(node, 1000); job; job = await buses[0]!.nextJob(node, 1000)) {
        got.push(text(job.data));
        await job.ack();
      }
      expect(got.sort()).toEqual(['j0', 'j1', 'j2', 'j3', 'j4']);
    } finally {
      await Promise.all(buses.map((bus) => bus.close()));
    }
  }, 20_000);

  it('fails with a clear error when no server listens', async () => {
    await expect(NatsBus.connect('nats://127.0.0.1:1', options)).rejects.toThrow(
      'cannot connect to NATS at nats://127.0.0.1:1',
    );
  });
});
