import type { AccessCheck, Caller } from './access.js';

const MAX_ENTRIES = 10_000;

/**
 * Authorization decisions remembered for a short while (allowed and denied alike, as kube-apiserver's
 * webhook authorizer's --authorization-webhook-cache-*-ttl), so a scan streaming thousands of findings
 * asks the API server once per question, not per finding. A failed review is not remembered.
 */
export class DecisionCache {
  private readonly entries = new Map<string, { allowed: boolean; until: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  async decide(
    caller: Caller,
    check: AccessCheck & { group: string },
    ask: () => Promise<boolean>,
  ): Promise<boolean> {
    const key = JSON.stringify([
      caller.source,
      caller.name,
      caller.uid ?? '',
      [...caller.groups].sort(),
      check.verb,
      check.group,
      check.resource,
      check.namespace ?? '',
      check.name ?? '',
    ]);
    const cached = this.entries.get(key);
    if (cached && cached.until > this.now()) return cached.allowed;
    const allowed = await ask();
    if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { allowed, until: this.now() + this.ttlMs });
    return allowed;
  }
}
