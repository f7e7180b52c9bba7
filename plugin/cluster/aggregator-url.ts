/** The path the aggregator serves its client WebSocket on (aggregator/http-server.ts). */
export const AGGREGATOR_WS_PATH = '/ws';

/**
 * `--aggregator-url` as the WebSocket to dial. `ws://HOST:PORT` with no path gets `/ws`, the only path
 * the aggregator serves it on; `http(s)://` (what `status --aggregator-url` takes) becomes `ws(s)://`.
 * Anything else that is not a URL is an error saying what to give.
 */
export function aggregatorSocketUrl(given: string): string {
  let url: URL;
  try {
    url = new URL(given);
  } catch {
    throw new Error(
      `--aggregator-url ${JSON.stringify(given)} is not a URL: give ws://HOST:PORT${AGGREGATOR_WS_PATH}`,
    );
  }
  if (url.protocol === 'http:') url.protocol = 'ws:';
  else if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:')
    throw new Error(
      `--aggregator-url ${given} must start with ws:// or wss:// (ws://HOST:PORT${AGGREGATOR_WS_PATH})`,
    );
  if (url.pathname === '' || url.pathname === '/') url.pathname = AGGREGATOR_WS_PATH;
  return url.toString();
}
