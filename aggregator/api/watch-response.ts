import type { ServerResponse } from 'node:http';
import { SECO_API_GROUP, SECO_API_VERSION } from '../../core/protocol/seco-api.js';
import { ApiError, sendError } from './api-status.js';
import { ResourceVersionGone, type WatchLog, type WatchLogEvent } from './watch-log.js';

/** The longest a watch stays open (the API server bounds its own with --min-request-timeout; 30 min here). */
const DEFAULT_TIMEOUT_SECONDS = 1800;
const MAX_TIMEOUT_SECONDS = 3600;
/** How often a watch that asked for bookmarks (allowWatchBookmarks) gets one. */
const BOOKMARK_EVERY_MS = 30_000;

export interface WatchOptions<T, O extends { metadata: { resourceVersion: string } }> {
  kind: string;
  url: URL;
  log: WatchLog<T>;
  /** The objects there are now, sent as ADDED when the watch starts without a resourceVersion (or "0"). */
  current: () => Promise<T[]>;
  /** The object this watcher gets for an entry, or undefined when it is not theirs to see. */
  render: (entry: T) => Promise<O | undefined>;
  /** As a metav1.Table (`kubectl get -w` asks for one), from the object. */
  table?: (object: O, resourceVersion: string) => unknown;
}

/**
 * A Kubernetes watch (API conventions, "Watch"; api-concepts "Efficient detection of changes"): a stream
 * of newline-delimited `{"type":"ADDED"|"MODIFIED"|"DELETED"|"BOOKMARK","object":...}`, from just after the
 * `resourceVersion` given (a list's), or — given none or "0" — the current objects as ADDED first. A
 * version older than the history kept is answered 410 Gone (reason Expired) before the stream starts, as
 * the API server's watch cache does: the client lists again. Each object carries the version of its change.
 */
export async function serveWatch<T, O extends { metadata: { resourceVersion: string } }>(
  response: ServerResponse,
  options: WatchOptions<T, O>,
): Promise<void> {
  const { url, log } = options;
  const from = url.searchParams.get('resourceVersion') ?? '';
  const timeout = Math.min(
    Number(url.searchParams.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_SECONDS) || DEFAULT_TIMEOUT_SECONDS,
    MAX_TIMEOUT_SECONDS,
  );
  let queue = Promise.resolve();
  let ended = false;
  const send = (type: string, object: unknown) => {
    if (!ended) response.write(`${JSON.stringify({ type, object })}\n`);
  };
  const sendEvent = async (event: WatchLogEvent<T>) => {
    const object = await options.render(event.entry);
    if (!object) return;
    const version = String(event.resourceVersion);
    object.metadata.resourceVersion = version;
    send(event.type, options.table ? options.table(object, version) : object);
  };
  // One at a time, in order: rendering may ask the API server who may see what (then it is cached).
  const deliver = (event: WatchLogEvent<T>) => {
    queue = queue.then(() => sendEvent(event)).catch(() => undefined);
  };
  const fromNow = from === '' || from === '0';
  let followed: ReturnType<WatchLog<T>['follow']>;
  try {
    if (!fromNow && !/^\d{1,16}$/.test(from))
      throw new ResourceVersionGone(`invalid resource version ${JSON.stringify(from.slice(0, 40))}`);
    followed = log.follow(fromNow ? log.current() : Number(from), deliver);
  } catch (error) {
    if (error instanceof ResourceVersionGone)
      return sendError(response, new ApiError(410, 'Expired', error.message));
    throw error;
  }
  response.writeHead(200, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'transfer-encoding': 'chunked',
  });
  response.flushHeaders();
  // Nothing can be appended before these are queued (no await since follow): later changes come after them.
  if (fromNow) {
    const version = log.current();
    queue = queue
      .then(async () => {
        for (const entry of await options.current())
          await sendEvent({ resourceVersion: version, type: 'ADDED', entry });
      })
      .catch(() => undefined);
  }
  for (const event of followed.missed) deliver(event);
  const bookmarks =
    url.searchParams.get('allowWatchBookmarks') === 'true'
      ? setInterval(() => {
          const version = String(log.current());
          queue = queue.then(() =>
            send('BOOKMARK', {
              kind: options.kind,
              apiVersion: `${SECO_API_GROUP}/${SECO_API_VERSION}`,
              metadata: { resourceVersion: version },
            }),
          );
        }, BOOKMARK_EVERY_MS)
      : undefined;
  let stopped = false;
  const end = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    clearInterval(bookmarks);
    followed.stop();
    // What is queued is written first; then the stream ends (a client that went away gets nothing more).
    queue = queue.then(() => {
      ended = true;
      if (!response.writableEnded) response.end();
    });
  };
  const timer = setTimeout(end, timeout * 1000);
  response.on('close', () => {
    ended = true;
    end();
  });
}
