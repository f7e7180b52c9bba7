/**
 * What one client connection follows — scans by id, its watch as `watch` — each with how to stop it. One
 * count for both: a connection's limit on followed scans counts its watch too.
 */
export class SessionSubscriptions {
  private readonly stops = new Map<string, () => void>();

  get size(): number {
    return this.stops.size;
  }

  add(key: string, stop: () => void): void {
    this.stops.set(key, stop);
  }

  stop(key: string): void {
    this.stops.get(key)?.();
    this.stops.delete(key);
  }

  stopAll(): void {
    for (const stop of this.stops.values()) stop();
    this.stops.clear();
  }
}
