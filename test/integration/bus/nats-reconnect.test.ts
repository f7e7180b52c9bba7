import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Bus } from '../../../core/bus/bus.js';
import { NatsBus } from '../../../core/bus/nats/nats-bus.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';

// A server of its own: restarting it must not disturb the contract suite's connections.
let nats: RunningNats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(async () => nats?.stop());

describe('NatsBus across a server restart', () => {
  const options = { ackWaitMs: 1000, maxDeliver: 3 };
  const text = (data: Uint8Array) => Buffer.from(data).toString();

  it('reconnects after the server restarts: queued jobs, KV and subscriptions survive', async () => {
    const statuses: string[] = [];
    const bus: Bus = await NatsBus.connect(nats.url, { ...options, onStatus: (type) => statuses.push(type) });
    try {
      const node = `restart-${process.pid}`;
      const kv = await bus.keyValue('restart-state');
      await kv.put('scan.s1', Buffer.from('running'));
      await bus.publishJob(node, Buffer.from('before-restart'));
      const events: string[] = [];
      await bus.subscribe('seco.events.>', (_s, data) => events.push(text(data)));
      await nats.restart();
      const deadline = Date.now() + 10_000;
      while (!statuses.includes('reconnect') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(statuses).toContain('reconnect');
      let job = await bus.nextJob(node, 2000);
      while (!job && Date.now() < deadline) job = await bus.nextJob(node, 1000);
      expect(text(job!.data)).toBe('before-restart');
      await job!.ack();
      expect(text((await kv.get('scan.s1'))!.value)).toBe('running');
      await bus.publish('seco.events.n1', Buffer.from('after-restart'));
      while (events.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(events).toEqual(['after-restart']);
    } finally {
      await bus.close();
    }
  }, 30_000);

  it('an event tail gets what was stored while its own connection was still reconnecting', async () => {
    const tailing: Bus = await NatsBus.connect(nats.url, options);
    try {
      const subject = `seco.events.tail-restart-${process.pid}`;
      const seen: string[] = [];
      const stop = await tailing.tailEvents({ sinceMs: Date.now(), limit: 0 }, (e) => {
        if (e.subject === subject) seen.push(text(e.data));
      });
      await nats.down();
      await nats.up();
      // A client that connects now (an agent back first) publishes before the tailing one is back.
      const publisher: Bus = await NatsBus.connect(nats.url, options);
      try {
        await publisher.publishEvent(subject, Buffer.from('while-away'), `away-${process.pid}`);
        await publisher.publishEvent(subject, Buffer.from('later'), `later-${process.pid}`);
      } finally {
        await publisher.close();
      }
      const deadline = Date.now() + 20_000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      stop();
      expect(seen).toEqual(['while-away', 'later']);
    } finally {
      await tailing.close();
    }
  }, 40_000);

  it('a KV watch (agents follow their pods this way) goes on after the server restarts', async () => {
    const bus: Bus = await NatsBus.connect(nats.url, options);
    try {
      const kv = await bus.keyValue('restart-watch');
      const seen: string[] = [];
      const stop = await kv.watch((key, value) => seen.push(`${key}=${value ? text(value) : '-'}`));
      await kv.put('node.a', Buffer.from('before'));
      const deadline = Date.now() + 20_000;
      while (seen.length < 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      await nats.restart(3000);
      // Puts retried until the client is back: the watch must see the one that lands.
      for (;;) {
        try {
          await kv.put('node.a', Buffer.from('after'));
          break;
        } catch (error) {
          if (Date.now() > deadline) throw error;
          await new Promise((r) => setTimeout(r, 250));
        }
      }
      while (!seen.includes('node.a=after') && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      stop();
      expect(seen).toEqual(['node.a=before', 'node.a=after']);
    } finally {
      await bus.close();
    }
  }, 40_000);
});
