import type { WatcherStats } from './watcher.js';

/** Counters before the first event: the in-process watcher's, and the agent's copy of its watcher process's
 * (a module of its own so the agent side does not load the watcher to get them). */
export function emptyWatcherStats(): WatcherStats {
  return { execs: 0, vanished: 0, lost: 0, detections: 0, fallbacks: [], kernelEvents: 0 };
}
