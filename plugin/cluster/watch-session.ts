import type { Finding, Severity } from '../../core/model/index.js';
import type { AggregatorClient } from './aggregator-client.js';

type Listing = Awaited<ReturnType<AggregatorClient['listResults']>>;

/** What a watch session reports; the TUI's store and the NDJSON printer both implement it. */
export interface WatchSink {
  state(state: 'connecting' | 'connected' | 'reconnecting' | 'closed', message?: string): void;
  user(user: string): void;
  event(finding: Finding): void;
  scans?(scans: Listing): void;
}

export interface WatchSessionOptions {
  connect: () => Promise<{ client: AggregatorClient; user: string }>;
  subscribe: { namespaces?: string[]; minSeverity?: Severity };
  sink: WatchSink;
  /** Ends the session (Ctrl-C, `q`). */
  stop: AbortSignal;
  /** How often the recent-scans list is refreshed; 0: never asked for. */
  scansEveryMs?: number;
  backoff?: { firstMs: number; maxMs: number };
}

const BACKOFF = { firstMs: 500, maxMs: 15_000 };

/**
 * Keeps a runtime-event subscription alive: when the connection drops (an aggregator restart closes
 * sockets with 1012, a rolling update moves the Service to another replica), it reconnects with
 * exponential backoff and subscribes again. The first connection failing is the caller's error:
 * a wrong URL or token should say so, not retry for ever.
 */
export async function runWatchSession(options: WatchSessionOptions): Promise<void> {
  const { sink, stop } = options;
  const backoff = options.backoff ?? BACKOFF;
  let delay = backoff.firstMs;
  let everConnected = false;
  sink.state('connecting');
  while (!stop.aborted) {
    let session: Awaited<ReturnType<WatchSessionOptions['connect']>>;
    try {
      session = await options.connect();
    } catch (error) {
      if (!everConnected) throw error;
      sink.state('reconnecting', `${(error as Error).message}; retrying in ${Math.round(delay / 1000)}s`);
      await sleep(delay, stop);
      delay = Math.min(delay * 2, backoff.maxMs);
      continue;
    }
    everConnected = true;
    delay = backoff.firstMs;
    sink.user(session.user);
    sink.state('connected');
    const reason = await follow(session.client, options);
    if (stop.aborted) break;
    sink.state('reconnecting', `${reason.message}; retrying in ${Math.round(delay / 1000)}s`);
    await sleep(delay, stop);
  }
  sink.state('closed');
}

/** Runs one connection until it closes or the session is stopped; resolves with why it ended. */
function follow(client: AggregatorClient, options: WatchSessionOptions): Promise<Error> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const refreshScans = () => {
      if (!options.sink.scans) return;
      client.listResults(20).then(
        (scans) => options.sink.scans?.(scans),
        () => undefined, // a failed refresh shows as the connection closing, or is retried next tick
      );
    };
    let ended = false;
    const end = (reason: Error) => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      // A bad message ends the session without closing the socket; close it so no half-session lingers.
      client.close();
      options.stop.removeEventListener('abort', onStop);
      resolve(reason);
    };
    const onStop = () => client.close();
    client.onClose(end);
    options.stop.addEventListener('abort', onStop);
    if (options.stop.aborted) return onStop();
    try {
      client.watch(options.subscribe, (finding) => options.sink.event(finding));
    } catch (error) {
      return end(error as Error);
    }
    if (options.sink.scans && options.scansEveryMs) {
      refreshScans();
      timer = setInterval(refreshScans, options.scansEveryMs);
    }
  });
}

function sleep(ms: number, stop: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    stop.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      stop.removeEventListener('abort', done);
      resolve();
    }
  });
}
