import type { Finding, Report, Severity } from '../../core/model/index.js';
import type { ActiveScan, NodeStatus } from '../../core/protocol/index.js';
import { type AggregatorClient, AggregatorError } from './aggregator-client.js';

type Listing = Awaited<ReturnType<AggregatorClient['listResults']>>;
type Latest = Awaited<ReturnType<AggregatorClient['latestFindings']>>;

/**
 * What a watch session reports; the TUI's store and the NDJSON printer both implement it. The optional
 * parts are the screens' data, asked for only by a sink that has them.
 */
export interface WatchSink {
  state(state: 'connecting' | 'connected' | 'reconnecting' | 'closed', message?: string): void;
  user(user: string): void;
  event(finding: Finding): void;
  scans?(scans: Listing): void;
  activeScans?(scans: ActiveScan[]): void;
  nodes?(nodes: NodeStatus[], error?: string): void;
  findings?(latest: Latest): void;
  /** How to read a stored scan while connected (undefined while not). */
  loader?(load: ((scanId: string) => Promise<Report>) | undefined): void;
  /** The newest event time it has: a reconnect catches up from there, so nothing in between is lost. */
  resumeFrom?(): string | undefined;
}

export interface WatchSessionOptions {
  connect: () => Promise<{ client: AggregatorClient; user: string }>;
  subscribe: { namespaces?: string[]; minSeverity?: Severity };
  sink: WatchSink;
  /** Ends the session (Ctrl-C, `q`). */
  stop: AbortSignal;
  /** How often the scans (and, for a sink that shows them, nodes) are refreshed; 0: never asked for. */
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
    if (isRefusal(reason)) throw reason;
    sink.state('reconnecting', `${reason.message}; retrying in ${Math.round(delay / 1000)}s`);
    await sleep(delay, stop);
  }
  sink.state('closed');
}

/** The aggregator will not let this caller watch: asking again changes nothing, so the session ends. */
const REFUSALS = new Set(['forbidden', 'unauthorized', 'bad-request']);
const isRefusal = (error: Error) => error instanceof AggregatorError && REFUSALS.has(error.code);

/** Events asked for again on a reconnect, at most. */
const RESUME_HISTORY = 2000;

/**
 * One refresh of the screens' data: stored and running scans, nodes, and the latest findings when the
 * newest stored scan changed. A refresh that fails shows as the connection closing, or is retried next tick.
 */
function refresher(client: AggregatorClient, sink: WatchSink): () => Promise<void> {
  let newestScan: string | undefined;
  let busy = false;
  const why = (error: unknown) => (error as Error).message;
  return async () => {
    if (busy) return;
    busy = true;
    try {
      const scans = await client.listResults(20);
      sink.scans?.(scans);
      if (sink.activeScans) sink.activeScans(await client.activeScans().catch(() => []));
      if (sink.nodes)
        await client.nodes().then(
          (n) => sink.nodes?.(n),
          (e) => sink.nodes?.([], why(e)),
        );
      if (sink.findings && (newestScan === undefined || scans[0]?.scanId !== newestScan)) {
        newestScan = scans[0]?.scanId ?? '';
        sink.findings(await client.latestFindings());
      }
    } catch {
      // the next tick tries again; a closed connection ends the session by itself
    } finally {
      busy = false;
    }
  };
}

/** Runs one connection until it closes or the session is stopped; resolves with why it ended. */
function follow(client: AggregatorClient, options: WatchSessionOptions): Promise<Error> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const { sink } = options;
    const refresh = refresher(client, sink);
    let ended = false;
    const end = (reason: Error) => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      sink.loader?.(undefined);
      // A bad message ends the session without closing the socket; close it so no half-session lingers.
      client.close();
      options.stop.removeEventListener('abort', onStop);
      resolve(reason);
    };
    const onStop = () => client.close();
    client.onClose(end);
    options.stop.addEventListener('abort', onStop);
    if (options.stop.aborted) return onStop();
    const since = sink.resumeFrom?.();
    try {
      // A subscription the aggregator answers with an error ends this connection: a refusal ends the
      // session, anything else (it could not follow the event stream) is retried like a dropped socket.
      client.watch(
        since ? { ...options.subscribe, since, history: RESUME_HISTORY } : options.subscribe,
        (finding) => sink.event(finding),
        end,
      );
    } catch (error) {
      return end(error as Error);
    }
    sink.loader?.((scanId) => client.getResult(scanId));
    if (sink.scans && options.scansEveryMs) {
      void refresh();
      timer = setInterval(() => void refresh(), options.scansEveryMs);
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
