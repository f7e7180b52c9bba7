// The severity scale without its zod schema: command flag definitions (evaluated at every start,
// `--help` included) need the names and the parser, not zod. severity.ts adds the schema.

/** Ordered from most to least severe; the order is what `--fail-on` and `--severity` compare by. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type SeverityLevel = (typeof SEVERITIES)[number];

const rank: Record<SeverityLevel, number> = { critical: 4, high: 3, medium: 2, low: 1, info: 0 };

/** True when `s` is `threshold` or more severe. */
export function atLeast(s: SeverityLevel, threshold: SeverityLevel): boolean {
  return rank[s] >= rank[threshold];
}

export function compareSeverity(a: SeverityLevel, b: SeverityLevel): number {
  return rank[b] - rank[a];
}

const isSeverity = (value: string): value is SeverityLevel =>
  (SEVERITIES as readonly string[]).includes(value);

export function parseSeverity(value: string): SeverityLevel {
  const lower = value.toLowerCase();
  if (!isSeverity(lower))
    throw new Error(`unknown severity "${value}": expected one of ${SEVERITIES.join(', ')}`);
  return lower;
}
