import { type KeyValue, KvConflictError } from '../core/bus/bus.js';

/**
 * One replica at a time does the cluster-wide chores (publishing node pods, storing runtime events,
 * acting on them): whoever holds the `leader.<role>` key. A leader that stops renewing loses it to the
 * first replica that sees it expire; a graceful stop hands it over at once.
 */
export class LeaderLease {
  private leading = false;

  constructor(
    private readonly kv: KeyValue,
    private readonly role: string,
    private readonly replicaId: string,
    private readonly leaseMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get isLeader(): boolean {
    return this.leading;
  }

  private get key(): string {
    return `leader.${this.role}`;
  }

  /** Takes or renews the lease if free, expired or already ours; says whether this replica leads. */
  async refresh(): Promise<boolean> {
    this.leading = await this.claim();
    return this.leading;
  }

  private async claim(): Promise<boolean> {
    const value = Buffer.from(JSON.stringify({ owner: this.replicaId, until: this.now() + this.leaseMs }));
    try {
      const entry = await this.kv.get(this.key);
      if (!entry) {
        await this.kv.create(this.key, value);
        return true;
      }
      const held = JSON.parse(Buffer.from(entry.value).toString('utf8')) as {
        owner?: string;
        until?: number;
      };
      if (held.owner !== this.replicaId && (held.until ?? 0) > this.now()) return false;
      await this.kv.update(this.key, value, entry.revision);
      return true;
    } catch (error) {
      if (error instanceof KvConflictError) return false;
      throw error;
    }
  }

  async release(): Promise<void> {
    if (!this.leading) return;
    this.leading = false;
    const entry = await this.kv.get(this.key).catch(() => undefined);
    if (!entry) return;
    const held = JSON.parse(Buffer.from(entry.value).toString('utf8')) as { owner?: string };
    if (held.owner === this.replicaId) await this.kv.delete(this.key).catch(() => undefined);
  }
}
