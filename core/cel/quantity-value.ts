// The value of a Kubernetes resource.Quantity (k8s.io/apimachinery/pkg/api/resource), kept exactly as
// a fraction so that quantity("200M") == quantity("0.2G") with no rounding in comparisons; and, beside
// it, the form resource.Quantity stores it in, because isInteger()/asInteger() answer from that form
// and not from the value: a small decimal is an int64 scaled by a power of ten (`compact`), anything
// else an arbitrary-precision decimal, and only a compact quantity of scale ≥ 0 converts to an int.

export const INT64_MAX = (1n << 63n) - 1n;
export const INT64_MIN = -(1n << 63n);

/** int64Amount: value × 10^scale, both as resource.Quantity holds them. */
export interface Compact {
  value: bigint;
  scale: number;
}

export const fitsInt64 = (v: bigint) => v >= INT64_MIN && v <= INT64_MAX;

export class Quantity {
  readonly num: bigint;
  readonly den: bigint;
  constructor(
    num: bigint,
    den: bigint,
    readonly compact?: Compact,
  ) {
    const g = gcd(num < 0n ? -num : num, den) || 1n;
    this.num = num / g;
    this.den = den / g;
  }
  static ofCompact(compact: Compact): Quantity {
    const [num, den] =
      compact.scale >= 0
        ? [compact.value * 10n ** BigInt(compact.scale), 1n]
        : [compact.value, 10n ** BigInt(-compact.scale)];
    return new Quantity(num, den, compact);
  }
  compare(other: Quantity): number {
    const d = this.num * other.den - other.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  sign(): number {
    return this.num < 0n ? -1 : this.num > 0n ? 1 : 0;
  }
  /** Quantity.Add: stays compact while the int64 arithmetic does not overflow. */
  plus(other: Quantity): Quantity {
    const compact = this.compact && other.compact ? addCompact(this.compact, other.compact) : undefined;
    return compact
      ? Quantity.ofCompact(compact)
      : new Quantity(this.num * other.den + other.num * this.den, this.den * other.den);
  }
  negate(): Quantity {
    const compact = this.compact && { value: -this.compact.value, scale: this.compact.scale };
    return compact && fitsInt64(compact.value)
      ? Quantity.ofCompact(compact)
      : new Quantity(-this.num, this.den);
  }
  /** Quantity.Mul by an int64: compact while the product (at its scale) fits an int64. */
  times(factor: bigint): Quantity {
    const c = this.compact;
    if (c) {
      if (c.value === 0n) return this;
      if (factor === 0n) return Quantity.ofCompact({ value: 0n, scale: 0 });
      const value = c.value * factor;
      const scaled = c.scale > 0 ? value * 10n ** BigInt(c.scale) : value;
      if (fitsInt64(value) && fitsInt64(scaled)) return Quantity.ofCompact({ value, scale: c.scale });
    }
    return new Quantity(this.num * factor, this.den);
  }
  /** AsInt64: only a compact quantity at scale ≥ 0 whose value fits converts. */
  asInt64(): bigint | undefined {
    const c = this.compact;
    if (!c || c.scale < 0) return undefined;
    const v = c.value * 10n ** BigInt(c.scale);
    return fitsInt64(v) ? v : undefined;
  }
  asApproximateFloat(): number {
    return Number(this.num) / Number(this.den);
  }
}

function addCompact(a: Compact, b: Compact): Compact | undefined {
  if (b.value === 0n) return a;
  if (a.value === 0n) return b;
  const scale = Math.min(a.scale, b.scale);
  const lift = (c: Compact) => c.value * 10n ** BigInt(c.scale - scale);
  const [x, y] = [lift(a), lift(b)];
  const sum = x + y;
  return fitsInt64(x) && fitsInt64(y) && fitsInt64(sum) ? { value: sum, scale } : undefined;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}
