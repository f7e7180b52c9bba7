import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../../core/model/index.js';
import type { AggregatorClient } from '../../../../plugin/cluster/aggregator-client.js';
import { runWatchSession, type WatchSink } from '../../../../plugin/cluster/watch-session.js';
import { runtimeFinding } from '../tui/runtime-finding.js';

/** A client whose connection the test drops at will, as an aggregator restart (1012) would. */
function fakeClient() {
  let closeListener: ((reason: Error) => void) | undefined;
  let onEvent: ((f: Finding) => void) | undefined;
  const client = {
    subscribed: 0,
    onClose: (listener: (reason: Error) => void) => (closeListener = listener),
    watch: (_options: unknown, listener: (f: Finding) => void) => {
      client.subscribed++;
      onEvent = listener;
    },
    listResults: async () => [],
    close: () => closeListener?.(new Error('connection closed (1000)')),
    emit: (f: Finding) => onEvent?.(f),
    drop: () => closeListener?.(new Error('connection closed (1012: service restart)')),
  };
  return client;
}

function recordingSink() {
  const log: string[] = [];
  const sink: WatchSink = {
    state: (state, message) => log.push(message ? `${state}: ${message}` : state),
    user: (user) => log.push(`user ${user}`),
    event: (f) => log.push(`event ${f.ruleId}`),
  };
  return { log, sink };
}

const until = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 5));
};

describe('runWatchSession', () => {
  it('resubscribes after the aggregator closes the socket, with the reason shown while it retries', async () => {
    const clients = [fakeClient(), fakeClient()];
    let connects = 0;
    const { log, sink } = recordingSink();
    const stop = new AbortController();
    const done = runWatchSession({
      connect: async () => ({ client: clients[connects++]! as unknown as AggregatorClient, user: 'alice' }),
      subscribe: {},
      sink,
      stop: stop.signal,
      backoff: { firstMs: 1, maxMs: 4 },
    });
    await until(() => clients[0]!.subscribed === 1);
    clients[0]!.emit(runtimeFinding('1', 'high'));
    clients[0]!.drop();
    await until(() => clients[1]!.subscribed === 1);
    clients[1]!.emit(runtimeFinding('2', 'high', { ruleId: 'crypto-miner' }));
    stop.abort();
    await done;
    expect(log).toEqual([
      'connecting',
      'user alice',
      'connected',
      'event shell-in-container',
      'reconnecting: connection closed (1012: service restart); retrying in 0s',
      'user alice',
      'connected',
      'event crypto-miner',
      'closed',
    ]);
  });

  it('fails when the first connection fails (a wrong URL or token), and retries only later ones', async () => {
    const { sink } = recordingSink();
    await expect(
      runWatchSession({
        connect: async () => {
          throw new Error('unauthorized');
        },
        subscribe: {},
        sink,
        stop: new AbortController().signal,
      }),
    ).rejects.toThrow('unauthorized');
  });
});
