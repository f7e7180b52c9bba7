import type { WatchSink } from '../cluster/watch-session.js';
import type { WatchStore } from './watch-store.js';

/** Feeds a watch session into the TUI's store. */
export function storeSink(store: WatchStore): WatchSink {
  return {
    state: (state, message) => store.setConnection(state, message),
    user: (user) => store.setUser(user),
    event: (finding) => store.addEvent(finding),
    scans: (scans) => store.setScans(scans),
  };
}
