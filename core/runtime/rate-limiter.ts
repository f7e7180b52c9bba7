/**
 * De-duplication and rate limiting for detections, never silent: every held-back repeat is counted, and
 * the count rides on the next detection of the same key (`repeats`) or comes out of `drain()`.
 */
export interface RateLimitOptions {
  /** A key (rule + container + executable) is emitted at most once per this window. */
  dedupeWindowMs: number;
  /** Per rule: at most this many detections per `burstWindowMs`, over all keys. */
  burst: number;
  burstWindowMs: number;
}

export const DEFAULT_RATE_LIMIT: RateLimitOptions = {
  dedupeWindowMs: 60_000,
  burst: 50,
  burstWindowMs: 10_000,
};

interface KeyState {
  lastEmitted: number;
  held: number;
}

export class RateLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly bursts = new Map<string, { start: number; count: number }>();

  constructor(private readonly options: RateLimitOptions = DEFAULT_RATE_LIMIT) {}

  /**
   * Whether to emit now; when yes, `repeats` is how many of this key were held back since the last one.
   * `count` > 1: that many identical events at once (folded by the eBPF sensor's reader); all but one are repeats.
   */
  admit(ruleId: string, key: string, now: number, count = 1): { emit: boolean; repeats: number } {
    const full = `${ruleId}\u0000${key}`;
    const state = this.keys.get(full);
    if (state && now - state.lastEmitted < this.options.dedupeWindowMs) {
      state.held += count;
      return { emit: false, repeats: 0 };
    }
    const burst = this.bursts.get(ruleId);
    if (burst && now - burst.start < this.options.burstWindowMs && burst.count >= this.options.burst) {
      // Over the rule's budget: remembered under the key, reported with its next emission or by drain().
      if (state) state.held += count;
      else this.keys.set(full, { lastEmitted: -Infinity, held: count });
      return { emit: false, repeats: 0 };
    }
    if (!burst || now - burst.start >= this.options.burstWindowMs)
      this.bursts.set(ruleId, { start: now, count: 1 });
    else burst.count++;
    const repeats = (state?.held ?? 0) + count - 1;
    this.keys.set(full, { lastEmitted: now, held: 0 });
    if (this.keys.size > 100_000) this.evict(now);
    return { emit: true, repeats };
  }

  /** Held-back counts per rule and key, reset to zero: for a periodic or final summary. */
  drain(): Array<{ ruleId: string; key: string; held: number }> {
    const out: Array<{ ruleId: string; key: string; held: number }> = [];
    for (const [full, state] of this.keys) {
      if (state.held === 0) continue;
      const [ruleId = '', key = ''] = full.split('\u0000');
      out.push({ ruleId, key, held: state.held });
      state.held = 0;
    }
    return out;
  }

  // Memory stays bounded on a noisy node: keys with nothing held and an expired window are forgotten.
  private evict(now: number): void {
    for (const [k, s] of this.keys)
      if (s.held === 0 && now - s.lastEmitted >= this.options.dedupeWindowMs) this.keys.delete(k);
  }
}
