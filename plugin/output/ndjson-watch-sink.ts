import type { WatchSink } from '../cluster/watch-session.js';

/**
 * `watch -o json`: each runtime event as one JSON line on stdout (the finding as received, evidence
 * already masked), connection changes on stderr so a pipe carries events only.
 */
export function ndjsonWatchSink(options: { onEvent?: () => void } = {}): WatchSink {
  return {
    state: (state, message) => process.stderr.write(`watch: ${state}${message ? ` (${message})` : ''}\n`),
    user: (user) => process.stderr.write(`watch: signed in as ${user}\n`),
    event: (finding) => {
      process.stdout.write(`${JSON.stringify(finding)}\n`);
      options.onEvent?.();
    },
  };
}
