import type { Finding, Report, Severity } from '../../core/model/index.js';
import type { ActiveScan, NodeStatus } from '../../core/protocol/index.js';
import { TimedOutError, withinTime } from '../../core/service/within-time.js';
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
  /** How long a refresh waits for the aggregator to answer before the connection counts as lost. */
  answerWithinMs?: number;
  backoff?: { firstMs: number; maxMs: number };
}

const BACKOFF = { firstMs: 500, maxMs: 15_000 };
/** A listing, the running scans or the nodes not answered by then: the watch reconnects rather than freeze. */
const ANSWER_WITHIN_MS = 30_000;

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
 * newest stored scan changed. A refresh that fails is retried next tick (a closed connection ends the
 * session by itself); one the aggregator does not answer in time closes the connection, so the screen says
 * so and the session reconnects instead of showing the same data for ever.
 */
function refresher(client: AggregatorClient, sink: WatchSink, answerWithinMs: number): () => Promise<void> {
  let newestScan: string | undefined;
  let busy = false;
  const answer = <T>(request: Promise<T>, what: string) =>
    withinTime(request, answerWithinMs, `the aggregator's answer to ${what}`);
  return async () => {
    if (busy) return;
    busy = true;
    try {
      const scans = await answer(client.listResults(20), 'results.list');
      sink.scans?.(scans);
      if (sink.activeScans) {
        const active = await answer(client.activeScans(), 'scans.active').catch(failure);
        sink.activeScans(active instanceof Error ? [] : active);
      }
      if (sink.nodes) {
        const nodes = await answer(client.nodes(), 'nodes.list').catch(failure);
        if (nodes instanceof Error) sink.nodes([], nodes.message);
        else sink.nodes(nodes);
      }
      if (sink.findings && (newestScan === undefined || scans[0]?.scanId !== newestScan)) {
        newestScan = scans[0]?.scanId ?? '';
        sink.findings(await client.latestFindings());
      }
    } catch (error) {
      if (error instanceof TimedOutError) client.close(error);
    } finally {
      busy = false;
    }
  };
}

/** A refused or failed read, shown as such; one never answered stays the connection's failure. */
function failure(error: unknown): Error {
  if (error instanceof TimedOutError) throw error;
  return error as Error;
}

/** Runs one connection until it closes or the session is stopped; resolves with why it ended. */
function follow(client: AggregatorClient, options: WatchSessionOptions): Promise<Error> {
  return new Promise((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    const { sink } = options;
    const refresh = refresher(client, sink, options.answerWithinMs ?? ANSWER_WITHIN_MS);
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
