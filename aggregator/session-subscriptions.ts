/**
 * What one client connection follows — scans by id, its watch as `watch` — each with how to stop it. One
 * count for both: a connection's limit on followed scans counts its watch too.
 */
export class SessionSubscriptions {
  private readonly stops = new Map<string, () => void>();
  private closed = false;

  get size(): number {
    return this.stops.size;
  }

  /**
   * Keeps `stop` for `key`, stopping what `key` had before (following a scan twice would relay it twice).
   * Subscribing is asynchronous: one that completes after the connection closed is stopped at once, not
   * left running for a client that is gone.
   */
  add(key: string, stop: () => void): void {
    if (this.closed) {
      stop();
      return;
    }
    this.stops.get(key)?.();
    this.stops.set(key, stop);
  }

  stop(key: string): void {
    this.stops.get(key)?.();
    this.stops.delete(key);
  }

  /** Stops everything, and whatever is added from now on (the connection closed). */
  stopAll(): void {
    this.closed = true;
    for (const stop of this.stops.values()) stop();
    this.stops.clear();
  }
}
