import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, test } from '@jest/globals';
import { WebSocket, WebSocketServer } from 'ws';
import { ClientChannel } from '../../../aggregator/client-channel.js';

// A real WebSocket pair on loopback: the client stops reading, as a slow or stuck client does, and the
// server's channel must drop it rather than buffer without end.

let server: WebSocketServer | undefined;
afterEach(async () => {
  for (const socket of server?.clients ?? []) socket.terminate();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

async function pair(): Promise<{ serverSide: WebSocket; client: WebSocket }> {
  server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise((resolve) => server!.once('listening', resolve));
  const connected = new Promise<WebSocket>((resolve) => server!.once('connection', resolve));
  const client = new WebSocket(`ws://127.0.0.1:${(server.address() as AddressInfo).port}`);
  await new Promise((resolve) => client.once('open', resolve));
  return { serverSide: await connected, client };
}

describe('ClientChannel', () => {
  test('a client that stops reading is closed with 1013 once its backlog passes the bound; later sends are dropped', async () => {
    const { serverSide, client } = await pair();
    const closed = new Promise<number>((resolve) => client.once('close', (code) => resolve(code)));
    // Stop reading: the kernel's buffers fill, then the server socket's own backlog grows.
    (client as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const channel = new ClientChannel(serverSide, 256 * 1024);
    const chunk = 'x'.repeat(256 * 1024);
    let sent = 0;
    while (serverSide.readyState === serverSide.OPEN && sent < 512) {
      channel.sendText(chunk);
      sent++;
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(serverSide.readyState).toBe(serverSide.CLOSING);
    const backlog = serverSide.bufferedAmount;
    channel.sendText(chunk);
    expect(serverSide.bufferedAmount).toBe(backlog);
    (client as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(1013);
  });

  test('a client that keeps reading gets every message, in order', async () => {
    const { serverSide, client } = await pair();
    const received: string[] = [];
    const all = new Promise<void>((resolve) =>
      client.on('message', (data) => {
        received.push(data.toString());
        if (received.length === 50) resolve();
      }),
    );
    const channel = new ClientChannel(serverSide, 256 * 1024);
    for (let i = 0; i < 50; i++) {
      channel.sendText(`${i}:${'y'.repeat(64 * 1024)}`);
      await new Promise((resolve) => setImmediate(resolve)); // the client reads as it goes
    }
    await all;
    expect(received.map((text) => Number(text.split(':')[0]))).toEqual([...Array(50).keys()]);
    expect(serverSide.readyState).toBe(serverSide.OPEN);
  });
});
