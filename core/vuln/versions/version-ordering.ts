/**
 * How one ecosystem orders its versions, per that ecosystem's own specification.
 *
 * `compare` returns a negative number, 0 or a positive number and never throws, whatever it is
 * given: two valid versions compare by the ecosystem's rules; an invalid version sorts before every
 * valid one, and two invalid versions compare by their text, so the order stays total and
 * deterministic (the rule Go's golang.org/x/mod/semver.Compare uses). Callers that must not guess
 * check `isValid` first.
 */
export interface VersionOrdering {
  /** The ecosystem family this ordering implements (`dpkg`, `apk`, `rpm`, `npm`…). */
  readonly ecosystem: string;
  /** The OSV ecosystem names it serves, without any `:release` suffix (`Debian`, `Ubuntu`…). */
  readonly names: readonly string[];
  isValid(version: string): boolean;
  compare(a: string, b: string): number;
}

/** Builds `compare` from a parser and a comparison of parsed values, with the invalid-input rule above. */
export function compareParsed<T>(
  parse: (version: string) => T | undefined,
  compareValid: (a: T, b: T) => number,
): (a: string, b: string) => number {
  return (a, b) => {
    const x = typeof a === 'string' ? parse(a) : undefined;
    const y = typeof b === 'string' ? parse(b) : undefined;
    if (x !== undefined && y !== undefined) return Math.sign(compareValid(x, y));
    if (x !== undefined) return 1;
    if (y !== undefined) return -1;
    return compareText(String(a), String(b));
  };
}

/** Byte-wise (UTF-16 code unit) text order, independent of the locale. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Numeric order of two digit strings of any length (no precision loss past 2^53). */
export function compareDigits(a: string, b: string): number {
  const x = a.replace(/^0+/, '');
  const y = b.replace(/^0+/, '');
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareText(x, y);
}
