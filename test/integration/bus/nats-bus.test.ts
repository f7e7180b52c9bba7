import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
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

  it('leaves no consumer on the server after listing keys (each watch refresh and scan plan lists them)', async () => {
    const bus = await NatsBus.connect(nats.url, options);
    const nc = await connect({ servers: nats.url });
    try {
      const bucket = `listed-${process.pid}`;
      const kv = await bus.keyValue(bucket);
      for (const key of ['a.1', 'a.2', 'b.1']) await kv.put(key, Buffer.from('x'));
      for (let i = 0; i < 10; i++) expect(await kv.keys('a')).toEqual(['a.1', 'a.2']);
      const jsm = await jetstreamManager(nc);
      const consumers = async () => (await jsm.streams.info(`KV_${bucket}`)).state.consumer_count;
      for (let i = 0; i < 50 && (await consumers()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(await consumers()).toBe(0);
    } finally {
      await nc.close();
      await bus.close();
    }
  });

  it('fails with a clear error when no server listens', async () => {
    await expect(NatsBus.connect('nats://127.0.0.1:1', options)).rejects.toThrow(
      'cannot connect to NATS at nats://127.0.0.1:1',
    );
  });
});
