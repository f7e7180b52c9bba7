import type { ServerResponse } from 'node:http';
import type { ResourceRequest } from './request-info.js';
import { groupVersion } from './resources.js';
import { type Matcher, parseFieldSelector, parseLabelSelector } from './selectors.js';
import { expired } from './status.js';
import type { KubeObject, KubeStore, StoreEvent } from './store.js';
import { toTable, wantsTable } from './table.js';

/**
 * Watch streams (kubernetes.io/docs/reference/using-api/api-concepts/#efficient-detection-of-changes):
 * one JSON watch event per line, chunked. Without a resourceVersion (or "0") the stream starts with
 * ADDED for every current object; from a resourceVersion it replays later changes, and one older than
 * the retained history gets an ERROR event carrying a 410 Expired Status, as the watch cache does.
 * An object that stops (starts) matching the selectors is sent as DELETED (ADDED).
 */
type WatchType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';

export interface WatchOptions {
  /** How often BOOKMARK events are sent when the client allows them. */
  bookmarkIntervalMs: number;
}

export class WatchHub {
  private readonly open = new Set<ServerResponse>();

  constructor(
    private readonly store: KubeStore,
    private readonly options: WatchOptions,
  ) {}

  /** Ends every open watch stream (server shutdown). */
  closeAll(): void {
    for (const response of this.open) response.end();
    this.open.clear();
  }

  serve(info: ResourceRequest, url: URL, accept: string | undefined, response: ServerResponse): void {
    const labels = parseLabelSelector(url.searchParams.get('labelSelector'));
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector'), info.type.kind);
    const matches: Matcher = (o) => this.inScope(info, o) && labels(o) && fields(o);
    const send = this.startStream(info, url, accept, response);
    const requested = url.searchParams.get('resourceVersion');
    const fromVersion =
      requested === null || requested === '' || requested === '0' ? undefined : Number(requested);
    if (
      fromVersion !== undefined &&
      (Number.isNaN(fromVersion) || this.store.eventsSince(fromVersion) === 'expired')
    ) {
      send('ERROR', expired(`too old resource version: ${requested} (${this.store.resourceVersion})`).body);
      response.end();
      return;
    }
    const onEvent = (event: StoreEvent) => {
      const type = event.resourceType === info.type ? this.translate(event, matches) : undefined;
      if (type) send(type, event.object);
    };
    const unsubscribe = this.store.subscribe(onEvent);
    if (fromVersion !== undefined) {
      for (const event of this.store.eventsSince(fromVersion) as StoreEvent[]) onEvent(event);
    } else if (url.searchParams.get('sendInitialEvents') !== 'false') {
      for (const object of this.store.list(info.type, info.namespace).filter(matches)) send('ADDED', object);
    }
    const stopTimers = this.timers(info, url, response, send);
    response.once('close', () => {
      unsubscribe();
      stopTimers();
    });
  }

  /** Starts the chunked response and returns how to send one event on it. */
  private startStream(info: ResourceRequest, url: URL, accept: string | undefined, response: ServerResponse) {
    const table = wantsTable(accept);
    const includeObject = url.searchParams.get('includeObject') ?? undefined;
    response.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-cache, private' });
    // Clients treat the watch as open once headers arrive; send them before the first event.
    response.flushHeaders();
    this.open.add(response);
    response.once('close', () => this.open.delete(response));
    return (type: WatchType, object: unknown) => {
      const asRow = table && type !== 'ERROR' && type !== 'BOOKMARK';
      const payload = asRow ? toTable(info.type.kind, [object as KubeObject], {}, includeObject) : object;
      response.write(`${JSON.stringify({ type, object: payload })}\n`);
    };
  }

  /** Bookmarks (when allowed) and the `timeoutSeconds` end of the stream; returns their stopper. */
  private timers(
    info: ResourceRequest,
    url: URL,
    response: ServerResponse,
    send: (t: WatchType, o: unknown) => void,
  ) {
    const bookmark = (initialEnd: boolean) => {
      const metadata: Record<string, unknown> = { resourceVersion: String(this.store.resourceVersion) };
      if (initialEnd) metadata.annotations = { 'k8s.io/initial-events-end': 'true' };
      send('BOOKMARK', { kind: info.type.kind, apiVersion: groupVersion(info.type), metadata });
    };
    const bookmarks = url.searchParams.get('allowWatchBookmarks') === 'true';
    if (bookmarks && url.searchParams.get('sendInitialEvents') === 'true') bookmark(true);
    const interval = bookmarks
      ? setInterval(() => bookmark(false), this.options.bookmarkIntervalMs)
      : undefined;
    const timeout = Number(url.searchParams.get('timeoutSeconds') ?? '0');
    const ender = timeout > 0 ? setTimeout(() => response.end(), timeout * 1000) : undefined;
    return () => {
      clearInterval(interval);
      clearTimeout(ender);
    };
  }

  private inScope(info: ResourceRequest, object: KubeObject): boolean {
    return (
      !info.type.namespaced || info.namespace === undefined || object.metadata?.namespace === info.namespace
    );
  }

  private translate(event: StoreEvent, matches: Matcher): WatchType | undefined {
    const now = matches(event.object);
    if (event.type !== 'MODIFIED') return now ? event.type : undefined;
    const before = event.previous ? matches(event.previous) : now;
    if (now && before) return 'MODIFIED';
    if (now) return 'ADDED';
    return before ? 'DELETED' : undefined;
  }
}
