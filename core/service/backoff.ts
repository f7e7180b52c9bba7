/** Delays for retrying a server that went away: doubling from `firstMs` up to `maxMs`, with jitter. */
export interface BackoffOptions {
  firstMs?: number;
  maxMs?: number;
}

/**
 * A retry delay that grows on each failure and resets on success. Jitter (±25 %) keeps a DaemonSet's
 * agents from all knocking at a restarted nats-server in the same millisecond.
 */
export class Backoff {
  private failures = 0;
  private readonly firstMs: number;
  private readonly maxMs: number;

  constructor(options: BackoffOptions = {}) {
    this.firstMs = options.firstMs ?? 250;
    this.maxMs = options.maxMs ?? 10_000;
  }

  /** The delay before the next attempt after one more failure. */
  next(): number {
    const base = Math.min(this.maxMs, this.firstMs * 2 ** Math.min(this.failures, 20));
    this.failures++;
    return Math.round(base * (0.75 + Math.random() * 0.5));
  }

  reset(): void {
    this.failures = 0;
  }

  /** Waits the next delay, or less when `stopped` says to give up waiting. */
  async wait(stopped: () => boolean = () => false): Promise<void> {
    const until = Date.now() + this.next();
    while (Date.now() < until && !stopped()) await sleep(Math.min(250, until - Date.now()));
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, Math.max(0, ms)));

/**
 * Runs `attempt` until it succeeds, waiting with backoff between failures, for at most `forMs`; then the
 * last error is thrown. `onRetry` hears each failure (for logs and readiness).
 */
export async function retrying<T>(
  attempt: () => Promise<T>,
  options: BackoffOptions & {
    forMs: number;
    onRetry?: (error: unknown) => void;
    /** False for an error no retry can fix (a message too large, a bad name): thrown at once. */
    retryIf?: (error: unknown) => boolean;
  },
): Promise<T> {
  const backoff = new Backoff(options);
  const until = Date.now() + options.forMs;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() >= until || options.retryIf?.(error) === false) throw error;
      options.onRetry?.(error);
      await sleep(Math.min(backoff.next(), Math.max(0, until - Date.now())));
    }
  }
}
