import './react-production.js';
import './live-in-ci.js';
import type { Severity } from '../../core/model/index.js';
import type { AggregatorFlagValues } from '../cluster/aggregator-flags.js';
import { connectAggregator } from '../cluster/connect-aggregator.js';
import { runWatchSession } from '../cluster/watch-session.js';
import { runWatchScreen } from './run-watch-screen.js';
import { storeSink } from './store-sink.js';
import type { ScreenName } from './ui-state.js';
import { WatchStore } from './watch-store.js';

/** Events and refreshes are drawn at most every 100 ms (10 frames a second); keys at once. */
export const DATA_FRAME_MS = 100;

/**
 * Data the screen in view does not list (runtime events while the findings are shown change only the
 * header's counts) is drawn at most once a second: a frame of a 160×45 screen costs Ink about as much
 * whatever changed, and the keys' frames wait behind it (bench:tui).
 */
export const UNSEEN_FRAME_MS = 1000;

export interface WatchUiOptions {
  flags: AggregatorFlagValues;
  minSeverity: Severity;
  namespaces: string[];
  screen: ScreenName;
  /** Ends the UI from outside (a signal); `q` aborts it too. */
  stopper: AbortController;
  /** Called with the store before the screen is drawn (`scan -w` puts the cursor on its scan). */
  prepare?: (store: WatchStore) => void;
}

/** How the header names where the watch is connected. */
export function describeTarget(flags: AggregatorFlagValues): string {
  return flags['aggregator-url'] ?? `${flags.context ?? 'current context'} (${flags['seco-namespace']})`;
}

/**
 * The terminal UI over a watch session: the session fills the store (history first, then live, with
 * reconnects), the screen draws it until `q`. A first connection that fails rejects, and ends the screen.
 */
export async function runWatchUi(options: WatchUiOptions): Promise<void> {
  const { stopper, flags, namespaces } = options;
  const stop = () => stopper.abort();
  const store = new WatchStore({
    target: describeTarget(flags),
    filters: { minSeverity: options.minSeverity, namespaces },
    screen: options.screen,
    coalesceMs: DATA_FRAME_MS,
    unseenMs: UNSEEN_FRAME_MS,
  });
  options.prepare?.(store);
  // The screen filters by severity itself, so `s` can also go below --min-severity.
  const running = runWatchSession({
    connect: () => connectAggregator(flags),
    subscribe: namespaces.length ? { namespaces } : {},
    sink: storeSink(store),
    stop: stopper.signal,
    scansEveryMs: 2000,
  });
  running.catch(stop);
  await Promise.all([runWatchScreen(store, stop, stopper.signal), running]);
}
