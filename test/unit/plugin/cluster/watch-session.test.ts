import { describe, expect, it } from '@jest/globals';
import type { Finding } from '../../../../core/model/index.js';
import { type AggregatorClient, AggregatorError } from '../../../../plugin/cluster/aggregator-client.js';
import {
  runWatchSession,
  type WatchSessionOptions,
  type WatchSink,
} from '../../../../plugin/cluster/watch-session.js';
import { runtimeFinding } from '../tui/runtime-finding.js';

/** A client whose connection the test drops at will, as an aggregator restart (1012) would. */
function fakeClient() {
  let closeListener: ((reason: Error) => void) | undefined;
  let onEvent: ((f: Finding) => void) | undefined;
  let onRefused: ((error: AggregatorError) => void) | undefined;
  const client = {
    subscribed: 0,
    closed: 0,
    onClose: (listener: (reason: Error) => void) => (closeListener = listener),
    watch: (_options: unknown, listener: (f: Finding) => void, refused: (e: AggregatorError) => void) => {
      client.subscribed++;
      onEvent = listener;
      onRefused = refused;
    },
    /** The aggregator answers the subscription with an error. */
    refuse: (code: string, message: string) => onRefused?.(new AggregatorError(code, message)),
    listResults: async (): Promise<unknown[]> => [],
    close: (reason?: Error) => {
      client.closed++;
      closeListener?.(reason ?? new Error('connection closed (1000)'));
    },
    emit: (f: Finding) => onEvent?.(f),
    drop: () => closeListener?.(new Error('connection closed (1012: service restart)')),
  };
  return client;
}
type FakeClient = ReturnType<typeof fakeClient>;

function recordingSink() {
  const log: string[] = [];
  return { log, sink: recordingSinkInto(log) };
}

function recordingSinkInto(log: string[]): WatchSink {
  return {
    state: (state, message) => log.push(message ? `${state}: ${message}` : state),
    user: (user) => log.push(`user ${user}`),
    event: (f) => log.push(`event ${f.ruleId}`),
  };
}

const until = async (probe: () => boolean) => {
  for (let i = 0; i < 200 && !probe(); i++) await new Promise((r) => setTimeout(r, 5));
};

/**
 * A session whose first connection is `clients[0]` and whose reconnect gets `clients[1]`; `prepare` sets
 * the clients up before it starts, and says what else the session is run with.
 */
function sessionOverTwoConnections(
  prepare: (clients: FakeClient[], log: string[]) => Partial<WatchSessionOptions> = () => ({}),
) {
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
    ...prepare(clients, log),
  });
  return { clients, log, stop, done };
}

describe('runWatchSession', () => {
  it('resubscribes after the aggregator closes the socket, with the reason shown while it retries', async () => {
    const { clients, log, stop, done } = sessionOverTwoConnections();
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

  it('reconnects, saying why, when the aggregator stops answering the screens’ refreshes', async () => {
    const { clients, log, stop, done } = sessionOverTwoConnections((clients, log) => {
      clients[0]!.listResults = () => new Promise(() => {}); // asked, never answered
      return {
        sink: { ...recordingSinkInto(log), scans: (scans) => log.push(`scans ${scans.length}`) },
        scansEveryMs: 5,
        answerWithinMs: 30,
      };
    });
    await until(() => log.includes('scans 0'));
    stop.abort();
    await done;
    expect(clients[0]!.closed).toBeGreaterThan(0);
    expect(log.slice(0, 4)).toEqual([
      'connecting',
      'user alice',
      'connected',
      "reconnecting: the aggregator's answer to results.list: no answer within 30 ms; retrying in 0s",
    ]);
    expect(clients[1]!.subscribed).toBe(1);
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

  it('reconnects when the aggregator could not follow events for the subscription, closing the old socket', async () => {
    const { clients, log, stop, done } = sessionOverTwoConnections();
    await until(() => clients[0]!.subscribed === 1);
    clients[0]!.refuse('internal', 'stream info: TIMEOUT');
    await until(() => clients[1]!.subscribed === 1);
    clients[1]!.emit(runtimeFinding('2', 'high'));
    stop.abort();
    await done;
    expect(clients[0]!.closed).toBe(1);
    expect(log).toContain('reconnecting: stream info: TIMEOUT; retrying in 0s');
    expect(log.at(-2)).toBe('event shell-in-container');
  });

  it('ends with the error when the aggregator refuses the subscription (not allowed to watch)', async () => {
    const client = fakeClient();
    let connects = 0;
    const { sink } = recordingSink();
    const done = runWatchSession({
      connect: async () => {
        connects++;
        return { client: client as unknown as AggregatorClient, user: 'bob' };
      },
      subscribe: { namespaces: ['payments'] },
      sink,
      stop: new AbortController().signal,
      backoff: { firstMs: 1, maxMs: 4 },
    });
    await until(() => client.subscribed === 1);
    client.refuse('forbidden', 'bob may not watch those namespaces');
    await expect(done).rejects.toThrow('bob may not watch those namespaces');
    expect(connects).toBe(1);
  });
});
