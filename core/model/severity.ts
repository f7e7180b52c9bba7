import { z } from 'zod';

/** Ordered from most to least severe; the order is what `--fail-on` and `--severity` compare by. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const Severity = z.enum(SEVERITIES);
export type Severity = z.infer<typeof Severity>;

const rank: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** True when `s` is `threshold` or more severe. */
export function atLeast(s: Severity, threshold: Severity): boolean {
  return rank[s] >= rank[threshold];
}

export function compareSeverity(a: Severity, b: Severity): number {
  return rank[b] - rank[a];
}

export function parseSeverity(value: string): Severity {
  const parsed = Severity.safeParse(value.toLowerCase());
  if (!parsed.success)
    throw new Error(`unknown severity "${value}": expected one of ${SEVERITIES.join(', ')}`);
  return parsed.data;
}
