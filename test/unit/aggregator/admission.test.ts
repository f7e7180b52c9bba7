import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from '@jest/globals';
import { WebSocket, WebSocketServer } from 'ws';
import { type AdmissionTicket, ConnectionAdmission } from '../../../aggregator/admission.js';
import { type AdmissionLimits, defaultMemoryBudget } from '../../../aggregator/admission-limits.js';

const limits: AdmissionLimits = {
  maxConnections: 100,
  maxPreAuth: 100,
  maxPreAuthPerSource: 100,
  preAuthMaxBytes: 1024,
  helloTimeoutMs: 60_000,
  memoryBudgetBytes: 1000,
};

let server: Server | undefined;
let admission: ConnectionAdmission | undefined;
afterEach(async () => {
  admission?.stop();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server?.closeAllConnections();
  server = undefined;
});

/** A real WebSocket server whose upgrades go through the admission, each server-side socket's ticket kept. */
async function serve(rss: () => number): Promise<{ url: string; tickets: AdmissionTicket[] }> {
  admission = new ConnectionAdmission(limits, undefined, rss);
  const wss = new WebSocketServer({ noServer: true });
  const tickets: AdmissionTicket[] = [];
  server = createServer();
  server.on('upgrade', (request, socket, head) => {
    if (admission!.check(request.socket.remoteAddress ?? '')) return socket.destroy();
    wss.handleUpgrade(request, socket, head, (ws) => {
      const ticket = admission!.admit(request.socket.remoteAddress ?? '', ws, socket);
      tickets.push(ticket);
      ws.on('close', () => ticket.closed());
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: `ws://127.0.0.1:${(server!.address() as AddressInfo).port}`, tickets };
}

async function connect(url: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const ws = new WebSocket(url);
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise((resolve) => ws.once('open', resolve));
  return { ws, closed };
}

describe('ConnectionAdmission', () => {
  it('cuts an unauthenticated client with 1009 once it sends more than the pre-auth budget', async () => {
    const { url } = await serve(() => 0);
    const { ws, closed } = await connect(url);
    ws.send(Buffer.alloc(4096));
    expect(await closed).toBe(1009);
  });

  it('lets an authenticated client send past the pre-auth budget', async () => {
    const { url, tickets } = await serve(() => 0);
    const { ws } = await connect(url);
    while (tickets.length === 0) await new Promise((r) => setImmediate(r));
    tickets[0]!.authenticated();
    ws.send(Buffer.alloc(64 * 1024));
    // The server reads frames in order: its pong comes after it has taken the 64 KiB in.
    await new Promise((resolve) => {
      ws.once('pong', resolve);
      ws.ping();
    });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('over the memory budget, sheds the newest unauthenticated clients first and keeps authenticated ones', async () => {
    let rss = 0;
    const { url, tickets } = await serve(() => rss);
    const clients: Array<Awaited<ReturnType<typeof connect>>> = [];
    for (let i = 0; i < 5; i++) {
      clients.push(await connect(url));
      while (tickets.length <= i) await new Promise((r) => setImmediate(r));
    }
    tickets[4]!.authenticated(); // the newest said hello: it must stay
    const order: number[] = [];
    clients.forEach((c, i) => void c.closed.then(() => order.push(i)));
    rss = 2000;
    // A quarter at a time, newest first: 3, then 2, then 1, then 0.
    await clients[0]!.closed;
    expect(order).toEqual([3, 2, 1, 0]);
    expect(await clients[3]!.closed).toBe(1013);
    expect(clients[4]!.ws.readyState).toBe(WebSocket.OPEN);
    clients[4]!.ws.close();
  });

  it('refuses the upgrade past the per-source cap, and again while over the memory budget', async () => {
    admission = new ConnectionAdmission({ ...limits, maxPreAuthPerSource: 1 }, undefined, () => 0);
    const ws = { close() {}, pause() {}, terminate() {} } as unknown as WebSocket;
    const socket = { on() {}, off() {} } as unknown as import('node:stream').Duplex;
    expect(admission.check('10.0.0.1')).toBeUndefined();
    const ticket = admission.admit('10.0.0.1', ws, socket);
    expect(admission.check('10.0.0.1')).toMatchObject({ status: 429, reason: 'preauth-source-cap' });
    expect(admission.check('10.0.0.2')).toBeUndefined();
    ticket.authenticated();
    expect(admission.check('10.0.0.1')).toBeUndefined();
    const busy = new ConnectionAdmission(limits, undefined, () => 5000);
    expect(busy.check('10.0.0.3')).toMatchObject({ status: 503, reason: 'memory-budget' });
    busy.stop();
  });
});

describe('defaultMemoryBudget', () => {
  it('is 75% of the cgroup v2 limit, of the v1 limit, and none without a limit', () => {
    expect(defaultMemoryBudget(() => '1073741824\n')).toBe(805306368);
    expect(
      defaultMemoryBudget((path) => {
        if (path.endsWith('memory.max')) throw new Error('ENOENT');
        return '536870912';
      }),
    ).toBe(402653184);
    expect(defaultMemoryBudget(() => 'max\n')).toBe(Number.POSITIVE_INFINITY);
  });
});
