import { afterAll, describe, expect, it } from '@jest/globals';
import {
  type Bus,
  BusMessageTooLargeError,
  type JobQueueOptions,
  KvConflictError,
} from '../../../core/bus/bus.js';

/** How a contract run gets its buses: `open` a client, and a `peer` of it (another process's view). */
export interface BusFactory {
  open(options: JobQueueOptions): Promise<Bus>;
  /** A second client of the same bus: a new connection for NATS, the same instance in process. */
  peer(bus: Bus, options: JobQueueOptions): Promise<Bus>;
}

const text = (data: Uint8Array) => Buffer.from(data).toString();
const bytes = (s: string) => new Uint8Array(Buffer.from(s));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function eventually(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await sleep(20);
}

let run = 0;
const uniqueNode = () => `node-${process.pid}-${++run}.cluster.internal`;

/**
 * The one Bus contract, run against every implementation so they provably behave alike: JetStream WorkQueue
 * semantics for per-node job queues, NATS subject matching for pub/sub, and KV with revisions.
 */
export function busContract(name: string, factory: BusFactory): void {
  const options: JobQueueOptions = { ackWaitMs: 1000, maxDeliver: 3, maxMessageBytes: 64 * 1024 };
  const open: Bus[] = [];
  const bus = async (o: JobQueueOptions = options) => {
    const b = await factory.open(o);
    open.push(b);
    return b;
  };
  const peer = async (of: Bus) => {
    const b = await factory.peer(of, options);
    if (b !== of) open.push(b);
    return b;
  };
  describe(`Bus contract: ${name}`, () => {
    // Tests run concurrently (each on its own nodes and buckets) to keep the timer-bound suite short; every
    // bus is closed at the end, passed or failed, so no connection or timer outlives the suite.
    afterAll(async () => {
      await Promise.all(open.splice(0).map((b) => b.close()));
    });

    describe('job queues', () => {
      it.concurrent('delivers a node its own jobs only, in order, once each, and an acked job never again', async () => {
        const b = await bus();
        const node = uniqueNode();
        await b.publishJob(node, bytes('j1'));
        await b.publishJob(`${node}-other`, bytes('x'));
        await b.publishJob(node, bytes('j2'));
        const first = await b.nextJob(node, 2000);
        const second = await b.nextJob(node, 2000);
        expect([text(first!.data), text(second!.data)]).toEqual(['j1', 'j2']);
        expect([first!.deliveryCount, second!.deliveryCount]).toEqual([1, 1]);
        await first!.ack();
        await second!.ack();
        expect(await b.nextJob(node, 1000)).toBeUndefined();
        const other = await b.nextJob(`${node}-other`, 2000);
        expect(text(other!.data)).toBe('x');
        await other!.ack();
      }, 15_000);

      it.concurrent('keeps a job published before any consumer existed', async () => {
        const publisher = await bus();
        const node = uniqueNode();
        await publisher.publishJob(node, bytes('early'));
        const taker = await peer(publisher);
        const job = await taker.nextJob(node, 2000);
        expect(text(job!.data)).toBe('early');
        await job!.ack();
      }, 15_000);

      it.concurrent('redelivers a job whose taker never acked within the ack wait, counting deliveries', async () => {
        const b = await bus();
        const node = uniqueNode();
        await b.publishJob(node, bytes('crash'));
        const taken = await b.nextJob(node, 2000);
        expect(taken!.deliveryCount).toBe(1);
        const started = Date.now();
        const again = await b.nextJob(node, 4000);
        expect(Date.now() - started).toBeGreaterThanOrEqual(700);
        expect(text(again!.data)).toBe('crash');
        expect(again!.deliveryCount).toBe(2);
        await again!.ack();
      }, 15_000);

      it.concurrent('gives a nak-ed job back at once, or after the nak delay', async () => {
        const b = await bus();
        const node = uniqueNode();
        await b.publishJob(node, bytes('retry'));
        await (await b.nextJob(node, 2000))!.nak();
        const back = await b.nextJob(node, 2000);
        expect(back!.deliveryCount).toBe(2);
        const started = Date.now();
        await back!.nak(1500);
        expect(await b.nextJob(node, 1000)).toBeUndefined();
        const later = await b.nextJob(node, 3000);
        expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
        expect(later!.deliveryCount).toBe(3);
        await later!.ack();
      }, 15_000);

      it.concurrent('keeps a job with its taker while the taker says it is working', async () => {
        const b = await bus();
        const node = uniqueNode();
        await b.publishJob(node, bytes('slow'));
        const slow = await b.nextJob(node, 2000);
        // Working every 300 ms through 2.2 s: over twice the ack wait, and the job is never redelivered.
        const heartbeat = setInterval(() => void slow!.working(), 300);
        try {
          expect(await b.nextJob(node, 2200)).toBeUndefined();
        } finally {
          clearInterval(heartbeat);
        }
        await slow!.ack();
        expect(await b.nextJob(node, 1500)).toBeUndefined();
      }, 15_000);

      it.concurrent('gives two consumers of one queue distinct jobs, every job to exactly one', async () => {
        const a = await bus();
        const c = await peer(a);
        const node = uniqueNode();
        const published = Array.from({ length: 8 }, (_, i) => `job-${i}`);
        for (const job of published) await a.publishJob(node, bytes(job));
        const took = async (consumer: Bus) => {
          const got: string[] = [];
          for (let job = await consumer.nextJob(node, 1000); job; job = await consumer.nextJob(node, 1000)) {
            got.push(text(job.data));
            await job.ack();
          }
          return got;
        };
        const [fromA, fromC] = await Promise.all([took(a), took(c)]);
        expect(fromA.filter((j) => fromC.includes(j))).toEqual([]);
        expect([...fromA, ...fromC].sort()).toEqual(published);
      }, 20_000);

      it.concurrent('runs a consumer with at most maxInFlight jobs at once, and retries a job whose handler threw', async () => {
        const b = await bus();
        const node = uniqueNode();
        let inFlight = 0;
        let most = 0;
        const done: string[] = [];
        const seen = new Map<string, number>();
        const consumer = b.consume(
          node,
          async (job) => {
            const name = text(job.data);
            seen.set(name, (seen.get(name) ?? 0) + 1);
            inFlight++;
            most = Math.max(most, inFlight);
            await sleep(100);
            inFlight--;
            if (name === 'flaky' && job.deliveryCount === 1) throw new Error('first try fails');
            done.push(name);
            await job.ack();
          },
          { maxInFlight: 2, pollMs: 1000, onError: () => {} },
        );
        for (const name of ['a', 'b', 'c', 'd', 'flaky']) await b.publishJob(node, bytes(name));
        await eventually(() => done.length === 5, 8000);
        await consumer.stop();
        expect(done.sort()).toEqual(['a', 'b', 'c', 'd', 'flaky']);
        expect(most).toBe(2);
        expect(seen.get('flaky')).toBe(2);
      }, 20_000);

      it.concurrent('refuses a job over the message size limit, naming the node and sizes', async () => {
        const b = await bus();
        const node = uniqueNode();
        const big = new Uint8Array(64 * 1024 + 1);
        await expect(b.publishJob(node, big)).rejects.toThrow(BusMessageTooLargeError);
        await expect(b.publishJob(node, big)).rejects.toThrow(
          `${node} is 65537 bytes, over the bus limit of 65536`,
        );
        await b.publishJob(node, new Uint8Array(64 * 1024));
        const job = await b.nextJob(node, 2000);
        expect(job!.data.byteLength).toBe(64 * 1024);
        await job!.ack();
      }, 15_000);

      it.concurrent('refuses node names that are not names', async () => {
        const b = await bus();
        await expect(b.publishJob('', bytes('x'))).rejects.toThrow(/invalid node name/);
        await expect(b.publishJob('a b', bytes('x'))).rejects.toThrow(/invalid node name/);
        await expect(b.nextJob('x'.repeat(254), 10)).rejects.toThrow(/invalid node name/);
      });
    });

    // Dead-job listeners compete (each dead job reaches one of them, whichever test registered it), so these
    // run one after another.
    describe('dead jobs', () => {
      it('reports a job given back on its last delivery as dead, once, and never delivers it again', async () => {
        const b = await bus();
        const node = uniqueNode();
        const dead: string[] = [];
        const stop = await b.onDeadJob((n, data, info) => {
          if (n === node) dead.push(`${n}:${text(data)}:${info.deliveries}`);
        });
        await b.publishJob(node, bytes('poison'));
        for (let i = 1; i <= options.maxDeliver; i++) {
          const job = await b.nextJob(node, 2000);
          expect(job!.deliveryCount).toBe(i);
          await job!.nak();
        }
        await eventually(() => dead.length > 0, 3000);
        expect(await b.nextJob(node, 1000)).toBeUndefined();
        expect(dead).toEqual([`${node}:poison:${options.maxDeliver}`]);
        stop();
      }, 20_000);

      it('reports each dead job to exactly one of several listeners', async () => {
        const b = await bus({ ...options, maxDeliver: 1 });
        const other = await peer(b);
        const node = uniqueNode();
        const heard: string[] = [];
        const listen = (who: string) => (n: string) => {
          if (n === node) heard.push(who);
        };
        const stops = [await b.onDeadJob(listen('first')), await other.onDeadJob(listen('second'))];
        await b.publishJob(node, bytes('a'));
        await b.publishJob(node, bytes('b'));
        for (let i = 0; i < 2; i++) await (await b.nextJob(node, 2000))!.nak();
        await eventually(() => heard.length >= 2, 3000);
        await sleep(300);
        expect(heard).toHaveLength(2);
        for (const stop of stops) stop();
      }, 15_000);

      it('reports a job whose last delivery timed out as dead once its queue is next read', async () => {
        const b = await bus({ ...options, maxDeliver: 2 });
        const node = uniqueNode();
        const dead: string[] = [];
        const stop = await b.onDeadJob((n, data) => {
          if (n === node) dead.push(`${n}:${text(data)}`);
        });
        await b.publishJob(node, bytes('stuck'));
        expect((await b.nextJob(node, 2000))!.deliveryCount).toBe(1);
        expect((await b.nextJob(node, 3000))!.deliveryCount).toBe(2); // first ack wait ran out
        // The second ack wait runs out while the queue is read again: nothing comes, and the job is dead.
        expect(await b.nextJob(node, 2500)).toBeUndefined();
        await eventually(() => dead.length > 0, 3000);
        expect(dead).toEqual([`${node}:stuck`]);
        expect(await b.nextJob(node, 1000)).toBeUndefined();
        stop();
      }, 20_000);
    });

    describe('event stream', () => {
      it.concurrent('keeps events for a durable consumer that starts later: one per id, a failed one again, recent ones replayed', async () => {
        const b = await bus();
        const other = await peer(b);
        const id = ++run; // concurrent tests bump `run`: ids stay this test's own
        const subject = `seco.events.t${process.pid}x${id}`;
        const live: string[] = [];
        await other.subscribe(subject, (_s, d) => live.push(text(d)));
        await b.publishEvent(subject, bytes('e1'), `id-${id}-1`);
        await b.publishEvent(subject, bytes('e1'), `id-${id}-1`); // a retried publish: stored once
        await b.publishEvent(subject, bytes('e2'), `id-${id}-2`);
        await expect(b.publishEvent('seco.progress.x', bytes('x'), 'id-x')).rejects.toThrow(
          /not under seco\.events\./,
        );
        const handled: string[] = [];
        let failedOnce = false;
        const consumer = await other.consumeEvents(`contract-${process.pid}-${id}`, async (event) => {
          if (event.subject !== subject) return;
          if (text(event.data) === 'e2' && !failedOnce) {
            failedOnce = true;
            throw new Error('store down');
          }
          handled.push(`${text(event.data)}#${event.deliveryCount}`);
        });
        await eventually(() => handled.length === 2, 8000);
        await consumer.stop();
        expect(handled).toEqual(['e1#1', 'e2#2']);
        expect(live).toEqual(['e1', 'e1', 'e2']); // plain subscribers see every publish
        const recent = (await other.recentEvents(Date.now() - 60_000, 1000)).filter(
          (e) => e.subject === subject,
        );
        expect(recent.map((e) => text(e.data))).toEqual(['e1', 'e2']);
      }, 20_000);

      it.concurrent('tails the stream: the newest of the catch-up within its time and limit, then each new event in order', async () => {
        const b = await bus();
        const other = await peer(b);
        const id = ++run;
        const subject = `seco.events.tail${process.pid}x${id}`;
        for (const n of [1, 2, 3]) await b.publishEvent(subject, bytes(`old${n}`), `tail-${id}-old${n}`);
        const seen: string[] = [];
        // The stream is shared with concurrent tests: keep this test's subject only.
        const mine = (e: { subject: string; data: Uint8Array }) => {
          if (e.subject === subject) seen.push(text(e.data));
        };
        const stopAll = await other.tailEvents({ sinceMs: Date.now() - 60_000, limit: 100_000 }, mine);
        await eventually(() => seen.length === 3, 5000);
        await b.publishEvent(subject, bytes('new1'), `tail-${id}-new1`);
        await b.publishEvent(subject, bytes('new2'), `tail-${id}-new2`);
        await eventually(() => seen.length === 5, 5000);
        expect(seen).toEqual(['old1', 'old2', 'old3', 'new1', 'new2']);
        stopAll();
        const future: string[] = [];
        const stopFuture = await other.tailEvents({ sinceMs: Date.now() + 60_000, limit: 100 }, (e) => {
          if (e.subject === subject) future.push(text(e.data));
        });
        await b.publishEvent(subject, bytes('new3'), `tail-${id}-new3`);
        await eventually(() => future.length === 1, 5000);
        stopFuture();
        await b.publishEvent(subject, bytes('after-stop'), `tail-${id}-after`);
        await sleep(300);
        expect(future).toEqual(['new3']); // nothing stored before it started; nothing after it stopped
        expect(seen).toHaveLength(5);
      }, 20_000);
    });

    describe('publish and subscribe', () => {
      it.concurrent('delivers to subscribers of matching subjects, with * and > wildcards, until unsubscribed', async () => {
        const b = await bus();
        const other = await peer(b);
        const all: string[] = [];
        const one: string[] = [];
        const stopAll = await other.subscribe('seco.events.>', (s, d) => all.push(`${s}=${text(d)}`));
        const stopOne = await other.subscribe('seco.events.*', (s, d) => one.push(`${s}=${text(d)}`));
        await b.publish('seco.events.node-a', bytes('shell'));
        await b.publish('seco.events.node-a.deep', bytes('deep'));
        await b.publish('seco.progress.s1', bytes('ignored'));
        await eventually(() => all.length === 2 && one.length === 1, 2000);
        expect(all).toEqual(['seco.events.node-a=shell', 'seco.events.node-a.deep=deep']);
        expect(one).toEqual(['seco.events.node-a=shell']);
        stopAll();
        stopOne();
        await b.publish('seco.events.node-b', bytes('after'));
        await sleep(200);
        expect(all).toHaveLength(2);
      }, 10_000);

      it.concurrent('keeps delivering to others when one subscriber throws', async () => {
        const b = await bus();
        const seen: string[] = [];
        await b.subscribe('seco.findings.s1', () => {
          throw new Error('subscriber bug');
        });
        await b.subscribe('seco.findings.s1', (_s, d) => seen.push(text(d)));
        await b.publish('seco.findings.s1', bytes('f1'));
        await b.publish('seco.findings.s1', bytes('f2'));
        await eventually(() => seen.length === 2, 2000);
        expect(seen).toEqual(['f1', 'f2']);
      }, 10_000);

      it.concurrent('refuses invalid subjects and oversized messages', async () => {
        const b = await bus();
        await expect(b.publish('seco.events.*', bytes('x'))).rejects.toThrow(/invalid subject/);
        await expect(b.publish('seco..events', bytes('x'))).rejects.toThrow(/invalid subject/);
        await expect(b.subscribe('seco.>.x', () => {})).rejects.toThrow(/invalid subscription subject/);
        await expect(b.publish('seco.events.a', new Uint8Array(70_000))).rejects.toThrow(
          BusMessageTooLargeError,
        );
      });
    });

    describe('key-value', () => {
      it.concurrent('creates once, compares and sets by revision, deletes, lists keys, and shares state between clients', async () => {
        const b = await bus();
        const bucket = `scans-${process.pid}-${++run}`;
        const kv = await b.keyValue(bucket);
        const r1 = await kv.create('scan.s1', bytes('queued'));
        await expect(kv.create('scan.s1', bytes('again'))).rejects.toThrow(KvConflictError);
        await expect(kv.create('scan.s1', bytes('again'))).rejects.toThrow(/already exists/);
        const r2 = await kv.update('scan.s1', bytes('running'), r1);
        expect(r2).toBeGreaterThan(r1);
        await expect(kv.update('scan.s1', bytes('stale'), r1)).rejects.toThrow(/not at revision/);
        const entry = await kv.get('scan.s1');
        expect([text(entry!.value), entry!.revision]).toEqual(['running', r2]);
        await kv.put('agents.node-a', bytes('alive'));
        expect(await kv.keys()).toEqual(['agents.node-a', 'scan.s1']);
        await kv.delete('agents.node-a');
        expect(await kv.get('agents.node-a')).toBeUndefined();
        expect(await kv.keys()).toEqual(['scan.s1']);
        await kv.create('agents.node-a', bytes('back')); // a deleted key may be created again
        const seenByPeer = await (await peer(b)).keyValue(bucket);
        expect(text((await seenByPeer.get('agents.node-a'))!.value)).toBe('back');
        expect(await kv.get('never.written')).toBeUndefined();
      }, 15_000);

      it.concurrent('lists the live keys below a prefix, of an empty bucket, and while they are being rewritten', async () => {
        const b = await bus();
        const kv = await b.keyValue(`keys-${process.pid}-${++run}`);
        expect(await kv.keys()).toEqual([]);
        for (const key of ['jobs.s1.a', 'jobs.s1.b', 'jobs.s2.a', 'scan.s1']) await kv.put(key, bytes('x'));
        await kv.delete('jobs.s1.b');
        expect(await kv.keys('jobs.s1')).toEqual(['jobs.s1.a']);
        expect(await kv.keys('jobs.s3')).toEqual([]);
        // Heartbeats and scan records are overwritten while someone lists them: every listing ends, and
        // holds every key that was live throughout.
        let writing = true;
        const writer = (async () => {
          for (let i = 0; writing; i++) await kv.put(`beat.n${i % 5}`, bytes(String(i)));
        })();
        try {
          for (let i = 0; i < 30; i++)
            expect(await kv.keys()).toEqual(expect.arrayContaining(['jobs.s1.a', 'jobs.s2.a', 'scan.s1']));
        } finally {
          writing = false;
          await writer;
        }
        expect(await kv.keys('beat')).toEqual(['beat.n0', 'beat.n1', 'beat.n2', 'beat.n3', 'beat.n4']);
      }, 30_000);

      it.concurrent('tells watchers every later change, deletes as undefined', async () => {
        const b = await bus();
        const kv = await b.keyValue(`watch-${process.pid}-${++run}`);
        await kv.put('before', bytes('not seen'));
        const changes: string[] = [];
        const stop = await kv.watch((key, value) =>
          changes.push(`${key}=${value ? text(value) : '(deleted)'}`),
        );
        const r = await kv.put('scan.s1', bytes('queued'));
        await kv.update('scan.s1', bytes('done'), r);
        await kv.delete('scan.s1');
        await eventually(() => changes.length === 3, 3000);
        expect(changes).toEqual(['scan.s1=queued', 'scan.s1=done', 'scan.s1=(deleted)']);
        stop();
        await kv.put('after', bytes('x'));
        await sleep(200);
        expect(changes).toHaveLength(3);
      }, 15_000);

      it.concurrent('watches one key only when asked to', async () => {
        const b = await bus();
        const kv = await b.keyValue(`watch-key-${process.pid}-${++run}`);
        const changes: string[] = [];
        const stop = await kv.watch(
          (key, value) => changes.push(`${key}=${value ? text(value) : '-'}`),
          'node.a',
        );
        await kv.put('node.b', bytes('other node'));
        await kv.put('node.a', bytes('mine'));
        await eventually(() => changes.length === 1, 3000);
        await sleep(200);
        expect(changes).toEqual(['node.a=mine']);
        stop();
      }, 15_000);

      it.concurrent('refuses keys and bucket names outside the NATS KV alphabet, and oversized values', async () => {
        const b = await bus();
        const kv = await b.keyValue(`keys-${process.pid}-${++run}`);
        for (const key of ['../escape', 'a b', '.hidden', 'trailing.', '', 'sp*ce'])
          await expect(kv.put(key, bytes('x'))).rejects.toThrow(`invalid key ${JSON.stringify(key)}`);
        await expect(b.keyValue('no.dots')).rejects.toThrow(/invalid key-value bucket name/);
        await expect(kv.put('big', new Uint8Array(70_000))).rejects.toThrow(BusMessageTooLargeError);
      });
    });

    it.concurrent('answers a request from one server of the subject; with no server it rejects', async () => {
      const b = await bus();
      const subject = `seco.tickets.rq${process.pid}x${++run}`;
      await expect(b.request(subject, bytes('q'), 500)).rejects.toThrow(/no responders|timed? ?out/i);
      const stop = await b.serve('seco.tickets.*', async (s, data) => bytes(`${s}:${text(data)}`));
      expect(text(await b.request(subject, bytes('q'), 3000))).toBe(`${subject}:q`);
      stop();
    }, 15_000);
  });
}
