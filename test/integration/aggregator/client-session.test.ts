import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import type { WebSocket } from 'ws';
import { MemoryBus } from '../../../core/bus/memory/memory-bus.js';
import { PROTOCOL_VERSION } from '../../../core/protocol/index.js';
import { FsObjectStore } from '../../../core/store/fs/fs-object-store.js';
import { connectClient, openSocket } from '../../harness/cluster/connect-client.js';
import { readManifests, withRunningPods } from '../../harness/cluster/demo-cluster.js';
import { gatedJobs } from '../../harness/cluster/gated-jobs.js';
import { sharedBus } from '../../harness/cluster/shared-bus.js';
import { type RunningStack, type StackOptions, startStack } from '../../harness/cluster/start-stack.js';

// The session's own rules, as a client speaking the protocol by hand sees them: hello once, with a token
// the aggregator knows; the limit on what one connection follows; an attach to a finished scan served
// from its stored report. (Malformed, oversized and unauthenticated messages: faults.test.ts.)

let stack: RunningStack | undefined;
afterEach(async () => {
  await stack?.stop();
  stack = undefined;
});

const v = PROTOCOL_VERSION;
const client = { name: 'test', version: '0' };
const target = { namespace: 'wordsmith', selector: 'app' };

async function start(agent: StackOptions['agent'] = {}): Promise<RunningStack> {
  const bus = new MemoryBus({ ackWaitMs: 4000, maxDeliver: 3 });
  stack = await startStack({
    bus: async () => sharedBus(bus),
    store: new FsObjectStore(mkdtempSync(join(tmpdir(), 'seco-session-'))),
    objects: withRunningPods(readManifests('examples/demo-app/common'), { nodes: ['node-a'] }),
    nodes: [{ name: 'node-a', fixture: 'misconfigured' }],
    agent,
  });
  return stack;
}

interface RawClient {
  send(message: object): void;
  /** The next message from the aggregator, parsed. */
  next(): Promise<Record<string, unknown>>;
  closed: Promise<number>;
}

/** A socket spoken to by hand, its messages queued in the order they came. */
async function raw(url: string): Promise<RawClient> {
  const socket: WebSocket = await openSocket(url);
  const received: Record<string, unknown>[] = [];
  const waiting: ((message: Record<string, unknown>) => void)[] = [];
  socket.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Record<string, unknown>;
    const waiter = waiting.shift();
    if (waiter) waiter(message);
    else received.push(message);
  });
  return {
    send: (message) => socket.send(JSON.stringify(message)),
    next: () => {
      const queued = received.shift();
      return queued ? Promise.resolve(queued) : new Promise((resolve) => waiting.push(resolve));
    },
    closed: new Promise((resolve) => socket.on('close', (code) => resolve(code))),
  };
}

describe('a client session', () => {
  it('refuses a token it does not know and closes with 1008', async () => {
    const running = await start();
    const socket = await raw(running.aggregators[0]!.url);
    socket.send({ v, type: 'hello', client, token: 'not-a-token-of-this-cluster' });
    expect(await socket.next()).toMatchObject({
      type: 'error',
      code: 'unauthorized',
      message: 'the token was not accepted',
    });
    expect(await socket.closed).toBe(1008);
  });

  it('answers a second hello with bad-request and goes on', async () => {
    const running = await start();
    const socket = await raw(running.aggregators[0]!.url);
    socket.send({ v, type: 'hello', client, token: running.token });
    expect(await socket.next()).toMatchObject({ type: 'welcome', user: 'static-token' });
    socket.send({ v, type: 'hello', client, token: running.token });
    expect(await socket.next()).toMatchObject({
      type: 'error',
      code: 'bad-request',
      message: 'already said hello',
    });
    socket.send({ v, type: 'scans.active', requestId: 'r2' });
    expect(await socket.next()).toEqual({ v, type: 'scans.active', requestId: 'r2', scans: [] });
  });

  it('counts its watch among the eight scans one connection may follow', async () => {
    const { runJob, release } = gatedJobs();
    const running = await start({ runJob });
    const socket = await raw(running.aggregators[0]!.url);
    socket.send({ v, type: 'hello', client, token: running.token });
    await socket.next();
    socket.send({ v, type: 'watch.subscribe', requestId: 'w', history: 0 });
    /** Starts a scan and returns the aggregator's answer to it: accepted or refused (progress passed over). */
    const scan = async (requestId: string) => {
      socket.send({ v, type: 'scan.start', requestId, target, scanners: ['host'] });
      let answer = await socket.next();
      while (answer.type !== 'scan.accepted' && answer.type !== 'error') answer = await socket.next();
      return answer;
    };
    try {
      for (let i = 1; i <= 7; i++)
        expect(await scan(`s${i}`)).toMatchObject({ type: 'scan.accepted', requestId: `s${i}` });
      expect(await scan('s8')).toMatchObject({
        type: 'error',
        code: 'unavailable',
        message: 'too many scans followed on this connection',
        requestId: 's8',
      });
    } finally {
      release();
    }
  }, 60_000);

  it('attaches to a finished scan from its stored report: accepted, its findings, then done', async () => {
    const running = await start();
    const scanner = await connectClient(running.aggregators[0]!.url, running.token);
    let scanId = '';
    const live = await scanner.scan(target, { scanners: ['host'], onAccepted: (id) => (scanId = id) });
    scanner.close();
    expect(live.findings.length).toBeGreaterThan(0);

    const socket = await raw(running.aggregators[0]!.url);
    socket.send({ v, type: 'hello', client, token: running.token });
    await socket.next();
    socket.send({ v, type: 'scan.attach', requestId: 'a1', scanId });
    expect(await socket.next()).toEqual({ v, type: 'scan.accepted', requestId: 'a1', scanId });
    const findings: { id: string }[] = [];
    let message = await socket.next();
    for (; message.type === 'findings'; message = await socket.next()) {
      expect(message.scanId).toBe(scanId);
      findings.push(...(message.findings as { id: string }[]));
    }
    expect(message).toMatchObject({ type: 'scan.done', scanId, report: { scanId } });
    expect(findings.map((f) => f.id).sort()).toEqual(live.findings.map((f) => f.id).sort());
  }, 60_000);
});
