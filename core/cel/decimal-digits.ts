/**
 * A double written with a fixed number of digits the way Go's strconv does (cel-go formats `%f` and `%e`
 * with it): from the double's exact binary value, rounding half to even. JavaScript's toFixed and
 * toExponential round exact halves away from zero: `"%.0f".format([2.5])` is "2" in CEL, not "3".
 * NaN and the infinities are written "NaN", "Infinity" and "-Infinity", as cel-go writes them.
 */
export function fixedDigits(value: number, precision: number): string {
  if (!Number.isFinite(value)) return String(value);
  const digits = roundedScaled(value, precision)
    .toString()
    .padStart(precision + 1, '0');
  const point = digits.length - precision;
  return `${signOf(value)}${digits.slice(0, point)}${precision > 0 ? `.${digits.slice(point)}` : ''}`;
}

/** `d.ddddde±XX`: `precision` digits after the point, an exponent of at least two digits (Go's `%e`). */
export function scientificDigits(value: number, precision: number): string {
  if (!Number.isFinite(value)) return String(value);
  let exponent = value === 0 ? 0 : Number(Math.abs(value).toExponential().split('e')[1]);
  let digits = roundedScaled(value, precision - exponent);
  // The shortest form's exponent can be one off the exact value's (1e23 is 9.99…e22), and rounding can
  // carry into a new digit (9.9996 at three digits): either way, one step corrects it.
  const lowest = 10n ** BigInt(precision);
  if (value !== 0 && digits < lowest) digits = roundedScaled(value, precision - --exponent);
  if (digits >= lowest * 10n) digits = roundedScaled(value, precision - ++exponent);
  const text = value === 0 ? '0'.repeat(precision + 1) : digits.toString();
  const mantissa = precision > 0 ? `${text[0]}.${text.slice(1)}` : text;
  const power = String(Math.abs(exponent)).padStart(2, '0');
  return `${signOf(value)}${mantissa}e${exponent < 0 ? '-' : '+'}${power}`;
}

function signOf(value: number): string {
  return value < 0 || Object.is(value, -0) ? '-' : '';
}

/** |value| × 10^scale rounded to an integer, half to even, computed exactly from the double's bits. */
function roundedScaled(value: number, scale: number): bigint {
  const { mantissa, exponent } = binaryParts(value);
  let numerator = mantissa;
  let denominator = 1n;
  if (scale >= 0) numerator *= 10n ** BigInt(scale);
  else denominator *= 10n ** BigInt(-scale);
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  const quotient = numerator / denominator;
  const twice = (numerator % denominator) * 2n;
  if (twice > denominator || (twice === denominator && quotient % 2n === 1n)) return quotient + 1n;
  return quotient;
}

/** |value| as mantissa × 2^exponent, both integers (IEEE 754 binary64). */
function binaryParts(value: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const high = view.getUint32(0);
  const biased = (high >>> 20) & 0x7ff;
  const fraction = (BigInt(high & 0xfffff) << 32n) | BigInt(view.getUint32(4));
  if (biased === 0) return { mantissa: fraction, exponent: -1074 }; // zero and subnormals
  return { mantissa: fraction | (1n << 52n), exponent: biased - 1075 };
}
