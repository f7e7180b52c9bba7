import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { Bus } from '../../../core/bus/bus.js';
import { MemoryBus } from '../../../core/bus/memory-bus.js';
import { NatsBus } from '../../../core/bus/nats-bus.js';
import { type RunningNats, startNats } from '../../harness/nats/start-nats.js';

let nats: RunningNats;
beforeAll(async () => {
  nats = await startNats();
}, 30_000);
afterAll(async () => nats?.stop());

const options = { ackWaitMs: 1000, maxDeliver: 2 };
const text = (data: Uint8Array) => Buffer.from(data).toString();
const bytes = (s: string) => Buffer.from(s);
let run = 0;

// One contract, two implementations: the real nats-server with JetStream, and the in-process bus.
const open: Bus[] = [];
const track = async (bus: Promise<Bus>) => {
  open.push(await bus);
  return open[open.length - 1]!;
};
// Every bus is closed after its test, passed or failed, so no connection or timer outlives the suite.
afterEach(async () => {
  await Promise.all(open.splice(0).map((bus) => bus.close()));
});

const buses: Array<[string, () => Promise<Bus>]> = [
  ['NATS JetStream', () => track(NatsBus.connect(nats.url, options))],
  ['in-process', () => track(Promise.resolve(new MemoryBus(options)))],
];

describe.each(buses)('Bus contract: %s', (_name, make) => {
  it('delivers a node its own jobs only, once each, until acked', async () => {
    const bus = await make();
    const node = `node-${++run}.example.internal`;
    await bus.publishJob(node, bytes('j1'));
    await bus.publishJob(`${node}-other`, bytes('x'));
    await bus.publishJob(node, bytes('j2'));
    const first = await bus.nextJob(node, 2000);
    const second = await bus.nextJob(node, 2000);
    expect([text(first!.data), text(second!.data)]).toEqual(['j1', 'j2']);
    expect(first!.deliveryCount).toBe(1);
    await first!.ack();
    await second!.ack();
    expect(await bus.nextJob(node, 1000)).toBeUndefined();
  }, 20_000);

  it('redelivers a job whose taker never acked (an agent that died), counting deliveries', async () => {
    const bus = await make();
    const node = `node-${++run}`;
    await bus.publishJob(node, bytes('crash'));
    const taken = await bus.nextJob(node, 2000);
    expect(taken!.deliveryCount).toBe(1);
    const again = await bus.nextJob(node, 4000);
    expect(text(again!.data)).toBe('crash');
    expect(again!.deliveryCount).toBe(2);
    await again!.ack();
  }, 20_000);

  it('gives a nak-ed job back at once, and keeps a job alive while its taker says it is working', async () => {
    const bus = await make();
    const node = `node-${++run}`;
    await bus.publishJob(node, bytes('retry'));
    await (await bus.nextJob(node, 2000))!.nak();
    const back = await bus.nextJob(node, 2000);
    expect(back!.deliveryCount).toBe(2);
    await back!.ack();

    await bus.publishJob(node, bytes('slow'));
    const slow = await bus.nextJob(node, 2000);
    // The taker keeps saying it is working, every 300 ms, through 2 s: twice the ack wait.
    const heartbeat = setInterval(() => void slow!.working(), 300);
    try {
      expect(await bus.nextJob(node, 2000)).toBeUndefined();
    } finally {
      clearInterval(heartbeat);
    }
    await slow!.ack();
  }, 20_000);

  it('reports a job dead after its delivery limit, and never delivers it again', async () => {
    const bus = await make();
    const node = `node-${++run}`;
    const dead: string[] = [];
    const stop = await bus.onDeadJob((n, data) => dead.push(`${n}:${text(data)}`));
    await bus.publishJob(node, bytes('poison'));
    await (await bus.nextJob(node, 2000))!.nak();
    await (await bus.nextJob(node, 2000))!.nak();
    const deadline = Date.now() + 5000;
    while (dead.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(dead).toEqual([`${node}:poison`]);
    expect(await bus.nextJob(node, 1500)).toBeUndefined();
    stop();
  }, 20_000);

  it('publishes events to subscribers of matching subjects', async () => {
    const bus = await make();
    const seen: string[] = [];
    const stop = await bus.subscribe('seco.events.>', (subject, data) =>
      seen.push(`${subject}=${text(data)}`),
    );
    await bus.publish('seco.events.node-a', bytes('shell'));
    await bus.publish('seco.progress.s1', bytes('ignored'));
    const deadline = Date.now() + 2000;
    while (seen.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['seco.events.node-a=shell']);
    stop();
  }, 10_000);

  it('keeps key-value state with revisions: create once, compare-and-set, delete, watch', async () => {
    const bus = await make();
    const kv = await bus.keyValue(`scans-${++run}`);
    const changes: string[] = [];
    const stop = await kv.watch((key, value) => changes.push(`${key}=${value ? text(value) : '(deleted)'}`));
    const r1 = await kv.create('scan.s1', bytes('queued'));
    await expect(kv.create('scan.s1', bytes('again'))).rejects.toThrow(/already exists/);
    const r2 = await kv.update('scan.s1', bytes('running'), r1);
    await expect(kv.update('scan.s1', bytes('stale'), r1)).rejects.toThrow(/not at revision/);
    expect(await kv.get('scan.s1')).toEqual({ value: expect.anything(), revision: r2 });
    expect(text((await kv.get('scan.s1'))!.value)).toBe('running');
    await kv.put('agent.node-a', bytes('alive'));
    expect(await kv.keys()).toEqual(['agent.node-a', 'scan.s1']);
    await kv.delete('agent.node-a');
    expect(await kv.get('agent.node-a')).toBeUndefined();
    await expect(kv.put('../escape', bytes('x'))).rejects.toThrow(/invalid key/);
    const deadline = Date.now() + 2000;
    while (changes.length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(changes).toEqual([
      'scan.s1=queued',
      'scan.s1=running',
      'agent.node-a=alive',
      'agent.node-a=(deleted)',
    ]);
    stop();
  }, 15_000);
});
