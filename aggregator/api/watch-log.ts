/**
 * One replica's recent changes of a seco.dev resource, for watches (Kubernetes API conventions, "Efficient
 * detection of changes"): each change gets a resourceVersion, a client that listed at version V watches
 * from V and gets every change after it, in order; one whose V is older than what is kept gets 410 Gone
 * and lists again, as from any API server whose history was compacted.
 *
 * resourceVersions are opaque to clients (they only hand them back); here they are microseconds since the
 * epoch, made strictly increasing. So a version handed out by one aggregator replica means the same moment
 * on another (the API server may send the list and the watch to different pods of the Service): each
 * replica serves a watch from any version within the history it has kept since it started.
 */
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchLogEvent<T> {
  resourceVersion: number;
  type: WatchEventType;
  entry: T;
}

/** A resourceVersion older than the history kept: the client must list again (HTTP 410, reason Expired). */
export class ResourceVersionGone extends Error {}

export class WatchLog<T> {
  private readonly events: WatchLogEvent<T>[] = [];
  private readonly listeners = new Set<(event: WatchLogEvent<T>) => void>();
  private last: number;
  /** Changes at or before this version may be missing from `events` (before start, or dropped as old). */
  private horizon: number;

  constructor(
    /** Events kept; a watch from before the oldest kept one is told to list again. */
    private readonly keep: number,
    private readonly clock: () => number = Date.now,
  ) {
    this.last = this.clock() * 1000;
    this.horizon = this.last;
  }

  /** The version a list taken now is at: a watch from it gets every later change. */
  current(): number {
    return this.last;
  }

  append(type: WatchEventType, entry: T): WatchLogEvent<T> {
    this.last = Math.max(this.last + 1, this.clock() * 1000);
    const event = { resourceVersion: this.last, type, entry };
    this.events.push(event);
    if (this.events.length > this.keep) this.horizon = this.events.shift()!.resourceVersion;
    for (const listener of this.listeners) listener(event);
    return event;
  }

  /**
   * The changes after `resourceVersion`, then `listener` for each later one (nothing lost or repeated in
   * between: both happen in one turn of the event loop). Returns the stopper.
   */
  follow(
    resourceVersion: number,
    listener: (event: WatchLogEvent<T>) => void,
  ): { missed: WatchLogEvent<T>[]; stop: () => void } {
    if (!Number.isSafeInteger(resourceVersion) || resourceVersion < this.horizon)
      throw new ResourceVersionGone(
        `too old resource version: ${resourceVersion} (${this.horizon}); list again and watch from the list's version`,
      );
    const missed = this.events.filter((e) => e.resourceVersion > resourceVersion);
    this.listeners.add(listener);
    return { missed, stop: () => this.listeners.delete(listener) };
  }
}
