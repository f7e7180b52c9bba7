import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';

// Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go) over resource.Quantity
// (k8s.io/apimachinery/pkg/api/resource): the value is kept as an exact fraction so that
// quantity("200M").compareTo(quantity("0.2G")) == 0 and no rounding creeps into comparisons.

const SUFFIX: Record<string, [bigint, bigint]> = {
  n: [1n, 1_000_000_000n],
  u: [1n, 1_000_000n],
  m: [1n, 1000n],
  '': [1n, 1n],
  k: [1000n, 1n],
  M: [1_000_000n, 1n],
  G: [1_000_000_000n, 1n],
  T: [1_000_000_000_000n, 1n],
  P: [1_000_000_000_000_000n, 1n],
  E: [1_000_000_000_000_000_000n, 1n],
  Ki: [1n << 10n, 1n],
  Mi: [1n << 20n, 1n],
  Gi: [1n << 30n, 1n],
  Ti: [1n << 40n, 1n],
  Pi: [1n << 50n, 1n],
  Ei: [1n << 60n, 1n],
};

// resource.ParseQuantity: sign, digits with at most one '.', then a suffix (binary, decimal or e/E exponent).
const QUANTITY = /^([+-]?)(\d+\.?\d*|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;
const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

export class Quantity {
  readonly num: bigint;
  readonly den: bigint;
  constructor(num: bigint, den: bigint) {
    const g = gcd(num < 0n ? -num : num, den) || 1n;
    this.num = num / g;
    this.den = den / g;
  }
  compare(other: Quantity): number {
    const d = this.num * other.den - other.num * this.den;
    return d < 0n ? -1 : d > 0n ? 1 : 0;
  }
  plus(other: Quantity): Quantity {
    return new Quantity(this.num * other.den + other.num * this.den, this.den * other.den);
  }
  negate(): Quantity {
    return new Quantity(-this.num, this.den);
  }
}

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

/**
 * The quantity `text` says, or undefined when it is not one. A Quantity is immutable, so one parse
 * serves every evaluation: a policy compares the same few texts ('2Gi', a container's '512Mi') on
 * every object it reviews.
 */
export function parseQuantity(text: string): Quantity | undefined {
  let parsed = parsedQuantities.get(text);
  if (parsed === undefined) {
    parsed = parse(text) ?? null;
    // Bounded: a scan's texts are few, but a hostile input could make every one different.
    if (parsedQuantities.size >= PARSED_QUANTITIES) parsedQuantities.clear();
    parsedQuantities.set(text, parsed);
  }
  return parsed ?? undefined;
}

const PARSED_QUANTITIES = 4096;
const parsedQuantities = new Map<string, Quantity | null>();

function parse(text: string): Quantity | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const [, sign = '', digits = '', suffix = ''] = match;
  const [whole = '', fraction = ''] = digits.split('.');
  let num = BigInt(`${whole}${fraction}` || '0');
  let den = 10n ** BigInt(fraction.length);
  if (/^[eE]/.test(suffix)) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > 1000) return undefined;
    if (exponent >= 0) num *= 10n ** BigInt(exponent);
    else den *= 10n ** BigInt(-exponent);
  } else {
    const [multiply, divide] = SUFFIX[suffix] ?? [1n, 1n];
    num *= multiply;
    den *= divide;
  }
  return new Quantity(sign === '-' ? -num : num, den);
}

function toQuantity(value: Quantity | bigint): Quantity {
  return typeof value === 'bigint' ? new Quantity(value, 1n) : value;
}

function asInteger(q: Quantity): bigint {
  if (q.den !== 1n) throw celError('cannot convert value to integer: the quantity is not an integer');
  if (q.num > INT64_MAX || q.num < INT64_MIN)
    throw celError('cannot convert value to integer: the quantity overflows int64');
  return q.num;
}

export const quantityLibrary: CelLibrary = {
  name: 'quantity',
  register(env) {
    env
      .registerType('kubernetes.Quantity', Quantity)
      .registerFunction('quantity(string): kubernetes.Quantity', (text: string) => {
        const q = parseQuantity(text);
        if (!q)
          throw celError(
            `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': ${JSON.stringify(text)}`,
          );
        return q;
      })
      .registerFunction('isQuantity(string): bool', (text: string) => parseQuantity(text) !== undefined)
      .registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) =>
        BigInt(q.compare(new Quantity(0n, 1n))),
      )
      .registerFunction(
        'kubernetes.Quantity.isInteger(): bool',
        (q: Quantity) => q.den === 1n && q.num <= INT64_MAX && q.num >= INT64_MIN,
      )
      .registerFunction('kubernetes.Quantity.asInteger(): int', asInteger)
      .registerFunction(
        'kubernetes.Quantity.asApproximateFloat(): double',
        (q: Quantity) => Number(q.num) / Number(q.den),
      )
      .registerFunction(
        'kubernetes.Quantity.compareTo(kubernetes.Quantity): int',
        (a: Quantity, b: Quantity) => BigInt(a.compare(b)),
      )
      .registerFunction(
        'kubernetes.Quantity.isGreaterThan(kubernetes.Quantity): bool',
        (a: Quantity, b: Quantity) => a.compare(b) > 0,
      )
      .registerFunction(
        'kubernetes.Quantity.isLessThan(kubernetes.Quantity): bool',
        (a: Quantity, b: Quantity) => a.compare(b) < 0,
      )
      .registerFunction(
        'kubernetes.Quantity.add(kubernetes.Quantity): kubernetes.Quantity',
        (a: Quantity, b: Quantity) => a.plus(b),
      )
      .registerFunction('kubernetes.Quantity.add(int): kubernetes.Quantity', (a: Quantity, b: bigint) =>
        a.plus(toQuantity(b)),
      )
      .registerFunction(
        'kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity',
        (a: Quantity, b: Quantity) => a.plus(b.negate()),
      )
      .registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) =>
        a.plus(toQuantity(b).negate()),
      )
      .registerOperator(
        'kubernetes.Quantity == kubernetes.Quantity',
        (a: Quantity, b: Quantity) => a.compare(b) === 0,
      );
  },
};
