/** What a long-lived component depends on, each healthy or degraded with a reason and since when. */
export interface Condition {
  ok: boolean;
  reason?: string;
  since: string;
}

/**
 * A component's readiness as named conditions (`nats`, `s3`, `jobs`, …): ready when every one is ok.
 * `/readyz` prints them, so a probe failure says what is wrong rather than just "not ready".
 */
export class Readiness {
  private readonly conditions = new Map<string, Condition>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  ok(name: string): void {
    if (this.conditions.get(name)?.ok === true) return;
    this.conditions.set(name, { ok: true, since: this.now().toISOString() });
  }

  degraded(name: string, reason: string): void {
    const current = this.conditions.get(name);
    // Keep the first failure's time: "since" says how long it has been wrong, not when it was last seen.
    const since = current && !current.ok ? current.since : this.now().toISOString();
    this.conditions.set(name, { ok: false, reason: reason.slice(0, 300), since });
  }

  isReady(): boolean {
    return [...this.conditions.values()].every((c) => c.ok);
  }

  snapshot(): Record<string, Condition> {
    return Object.fromEntries(this.conditions);
  }

  /** One line per condition: `nats ok since …` or `nats degraded since …: disconnected`. */
  describe(): string {
    return [...this.conditions]
      .map(
        ([name, c]) =>
          `${name} ${c.ok ? 'ok' : 'degraded'} since ${c.since}${c.reason ? `: ${c.reason}` : ''}`,
      )
      .join('\n');
  }
}

/** Maps the NATS client's connection statuses onto a `nats` condition. */
export function natsStatusToReadiness(readiness: Readiness): (type: string, detail: string) => void {
  return (type, detail) => {
    if (type === 'reconnect') readiness.ok('nats');
    else if (type === 'disconnect' || type === 'reconnecting' || type === 'staleConnection')
      readiness.degraded('nats', `${type}${detail ? ` (${detail})` : ''}`);
    else if (type === 'close') readiness.degraded('nats', 'connection closed');
  };
}
