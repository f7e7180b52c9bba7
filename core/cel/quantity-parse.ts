import { type Compact, fitsInt64, INT64_MAX, Quantity } from './quantity-value.js';

// resource.ParseQuantity's reading of a quantity text, and its three failures worded as it words them.

export const FORMAT_ERROR =
  "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
export const NUMERIC_ERROR = 'unable to parse numeric part of quantity';
export const SUFFIX_ERROR = "unable to parse quantity's suffix";

const DECIMAL_SUFFIXES: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  '': 0,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

// Exponents past this are refused rather than expanded: 10^100000 is already a 41 KB integer, and a
// hostile text could ask for 10^(2^31). resource.Quantity accepts any int32 exponent.
const MAX_EXPONENT = 100_000;

/**
 * The scanner's split of a text: sign, the digits before and after the point (leading zeros of the
 * whole part dropped), and the suffix. Anything after the suffix's digits is a format error; a
 * suffix the scanner allows but no table knows ("Mm", "K") is a suffix error, found later.
 */
function scan(
  text: string,
): { negative: boolean; whole: string; fraction: string; suffix: string } | undefined {
  const m = /^([+-]?)0*([0-9]*)(?:\.([0-9]*))?([eEinumkKMGTP]*[+-]?[0-9]*)$/.exec(text);
  if (!m) return undefined;
  return { negative: m[1] === '-', whole: m[2] || '0', fraction: m[3] ?? '', suffix: m[4] ?? '' };
}

/** Base and exponent of a suffix: a decimal or binary SI suffix, or e/E and a signed integer. */
function interpret(suffix: string): { base: 10 | 2; exponent: number } | undefined {
  const decimal = DECIMAL_SUFFIXES[suffix];
  if (decimal !== undefined) return { base: 10, exponent: decimal };
  const binary = BINARY_SUFFIXES[suffix];
  if (binary !== undefined) return { base: 2, exponent: binary };
  if (/^[eE][+-]?[0-9]+$/.test(suffix)) return { base: 10, exponent: Number(suffix.slice(1)) };
  return undefined;
}

export function parseQuantityText(text: string): Quantity | string {
  if (text === '') return FORMAT_ERROR;
  const parts = scan(text);
  if (!parts) return FORMAT_ERROR;
  const unit = interpret(parts.suffix);
  if (!unit) return SUFFIX_ERROR;
  if (Math.abs(unit.exponent) > MAX_EXPONENT) return NUMERIC_ERROR;
  const { negative, whole, fraction } = parts;
  const digits = BigInt(`${whole}${fraction}`);
  const compact = compactForm(digits, whole.length + fraction.length, fraction, unit);
  if (compact)
    return Quantity.ofCompact(negative ? { value: -compact.value, scale: compact.scale } : compact);
  let num = digits;
  let den = 10n ** BigInt(fraction.length);
  if (unit.base === 2) num <<= BigInt(unit.exponent);
  else if (unit.exponent >= 0) num *= 10n ** BigInt(unit.exponent);
  else den *= 10n ** BigInt(-unit.exponent);
  // Below a nano, a value is rounded up (away from zero) to the next nano: "you asked for some".
  const nanos = (num * 1_000_000_000n + den - 1n) / den;
  if (nanos * den !== num * 1_000_000_000n) [num, den] = [nanos, 1_000_000_000n];
  // A binary quantity is capped at the largest int64.
  if (unit.base === 2 && num > INT64_MAX * den) [num, den] = [INT64_MAX, 1n];
  return new Quantity(negative ? -num : num, den);
}

/**
 * The int64 form ParseQuantity takes when the digits are few enough (18 for a decimal; for a binary
 * suffix, fewer as the suffix grows) and the scale is at least nano; undefined for the decimal form.
 */
function compactForm(
  digits: bigint,
  digitCount: number,
  fraction: string,
  unit: { base: 10 | 2; exponent: number },
): Compact | undefined {
  if (unit.base === 10) {
    const scale = unit.exponent - fraction.length;
    return 18 - digitCount >= 0 && scale >= -9 ? { value: digits, scale } : undefined;
  }
  const precision = 15 - digitCount - Math.trunc((unit.exponent * 3) / 10) - 1;
  if (fraction !== '' || precision < 0) return undefined;
  const value = digits << BigInt(unit.exponent);
  return fitsInt64(value) ? { value, scale: 0 } : undefined;
}
