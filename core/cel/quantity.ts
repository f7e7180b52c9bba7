import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';
import { chargeStringScan } from './library-cost.js';
import { parseQuantityText } from './quantity-parse.js';
import { fitsInt64, Quantity } from './quantity-value.js';

export { Quantity } from './quantity-value.js';

// Kubernetes' quantity library (k8s.io/apiserver/pkg/cel/library/quantity.go) over resource.Quantity
// (k8s.io/apimachinery/pkg/api/resource); the value and its parsing are in quantity-value.ts and
// quantity-parse.ts. Known deviations: exponents past ±100000 are refused (resource.Quantity takes
// any int32), and div's rounding is exact half-away-from-zero where the Kubernetes change adding
// mul/div/divInt is still under review.

/**
 * The quantity `text` says, or why it is not one (resource.ParseQuantity's message). A Quantity is
 * immutable, so one parse serves every evaluation: a policy compares the same few texts ('2Gi', a
 * container's '512Mi') on every object it reviews.
 */
export function parseQuantity(text: string): Quantity | string {
  let parsed = parsedQuantities.get(text);
  if (parsed === undefined) {
    parsed = parseQuantityText(text);
    // Bounded: a scan's texts are few, but a hostile input could make every one different.
    if (parsedQuantities.size >= PARSED_QUANTITIES) parsedQuantities.clear();
    parsedQuantities.set(text, parsed);
  }
  return parsed;
}

const PARSED_QUANTITIES = 4096;
const parsedQuantities = new Map<string, Quantity | string>();

function toQuantity(text: string): Quantity {
  chargeStringScan(text);
  const q = parseQuantity(text);
  if (typeof q === 'string') throw celError(q);
  return q;
}

function asInteger(q: Quantity): bigint {
  const value = q.asInt64();
  if (value === undefined) throw celError('cannot convert value to integer');
  return value;
}

// cel-go turns the library's panic on a zero divisor into an evaluation error with this wording.
const DIVISION_BY_ZERO = 'internal error: division by zero error';

/**
 * div(n[, places]): the quotient rounded half away from zero to `places` decimal places (4 when not
 * given, 0 to 10 allowed). mul/div/divInt come from a Kubernetes change still under review, whose
 * rounding may yet change; this is exact decimal arithmetic.
 */
function divide(q: Quantity, divisor: bigint, places: bigint): Quantity {
  if (divisor === 0n) throw celError(DIVISION_BY_ZERO);
  if (places < 0n || places > 10n)
    throw celError(`the valid range for roundVal is 0 to 10 but ${places} was passed`);
  const unit = 10n ** places;
  const num = q.num * unit;
  const den = q.den * divisor;
  const [n, d] = den < 0n ? [-num, -den] : [num, den];
  const rounded = (2n * (n < 0n ? -n : n) + d) / (2n * d);
  return new Quantity(n < 0n ? -rounded : rounded, unit);
}

/** divInt(n): the quotient truncated toward zero. */
function divideInteger(q: Quantity, divisor: bigint): Quantity {
  if (divisor === 0n) throw celError(DIVISION_BY_ZERO);
  const quotient = q.num / (q.den * divisor);
  return fitsInt64(quotient) ? Quantity.ofCompact({ value: quotient, scale: 0 }) : new Quantity(quotient, 1n);
}

const ofInt = (n: bigint) => Quantity.ofCompact({ value: n, scale: 0 });

export const quantityLibrary: CelLibrary = {
  name: 'quantity',
  register(env) {
    env
      .registerType('kubernetes.Quantity', Quantity)
      .registerFunction('quantity(string): kubernetes.Quantity', toQuantity)
      .registerFunction('isQuantity(string): bool', (text: string) => {
        chargeStringScan(text);
        return typeof parseQuantity(text) !== 'string';
      })
      .registerFunction('kubernetes.Quantity.sign(): int', (q: Quantity) => BigInt(q.sign()))
      .registerFunction('kubernetes.Quantity.isInteger(): bool', (q: Quantity) => q.asInt64() !== undefined)
      .registerFunction('kubernetes.Quantity.asInteger(): int', asInteger)
      .registerFunction('kubernetes.Quantity.asApproximateFloat(): double', (q: Quantity) =>
        q.asApproximateFloat(),
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
        a.plus(ofInt(b)),
      )
      .registerFunction(
        'kubernetes.Quantity.sub(kubernetes.Quantity): kubernetes.Quantity',
        (a: Quantity, b: Quantity) => a.plus(b.negate()),
      )
      .registerFunction('kubernetes.Quantity.sub(int): kubernetes.Quantity', (a: Quantity, b: bigint) =>
        a.plus(ofInt(-b)),
      )
      .registerFunction('kubernetes.Quantity.mul(int): kubernetes.Quantity', (a: Quantity, b: bigint) =>
        a.times(b),
      )
      .registerFunction('kubernetes.Quantity.div(int): kubernetes.Quantity', (a: Quantity, b: bigint) =>
        divide(a, b, 4n),
      )
      .registerFunction('kubernetes.Quantity.div(int, int): kubernetes.Quantity', divide)
      .registerFunction('kubernetes.Quantity.divInt(int): kubernetes.Quantity', divideInteger)
      .registerOperator(
        'kubernetes.Quantity == kubernetes.Quantity',
        (a: Quantity, b: Quantity) => a.compare(b) === 0,
      );
  },
};
