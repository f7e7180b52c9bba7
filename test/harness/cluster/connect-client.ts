import { WebSocket } from 'ws';
import { AggregatorClient } from '../../../plugin/cluster/aggregator-client.js';

/** An open WebSocket to an aggregator (nothing said yet). */
export async function openSocket(url: string): Promise<WebSocket> {
  const socket = new WebSocket(url);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return socket;
}

/** The plugin's client on a new connection, past `hello` with `token`. */
export async function connectClient(url: string, token: string): Promise<AggregatorClient> {
  const client = new AggregatorClient(await openSocket(url));
  await client.hello(token);
  return client;
}
