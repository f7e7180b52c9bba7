import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';
import { goQuote } from './go-quote.js';

// Kubernetes' semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go) over blang/semver/v4's
// Parse; with normalize=true a leading 'v', leading zeros and missing minor/patch are accepted.
// Parse failures are reported in blang's words, which is what the API server's messages carry.

export class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: readonly string[],
  ) {}
  compare(other: Semver): number {
    for (const key of ['major', 'minor', 'patch'] as const)
      if (this[key] !== other[key]) return this[key] < other[key] ? -1 : 1;
    // SemVer 2.0.0 §11: a version with a pre-release is lower; identifiers compare left to right.
    if (this.pre.length === 0 || other.pre.length === 0) {
      if (this.pre.length === other.pre.length) return 0;
      return this.pre.length === 0 ? 1 : -1;
    }
    for (let i = 0; i < Math.min(this.pre.length, other.pre.length); i++) {
      const [a = '', b = ''] = [this.pre[i], other.pre[i]];
      if (a === b) continue;
      const [an, bn] = [/^\d+$/.test(a), /^\d+$/.test(b)];
      if (an && bn) return BigInt(a) < BigInt(b) ? -1 : 1;
      if (an !== bn) return an ? -1 : 1;
      return a < b ? -1 : 1;
    }
    return Math.sign(this.pre.length - other.pre.length);
  }
}

const DIGITS = /^[0-9]*$/;
const IDENTIFIER = /^[0-9A-Za-z-]*$/;
const UINT64_MAX = (1n << 64n) - 1n;

/**
 * A numeric field as blang/semver checks it: digits only, no leading zero, within uint64. `what`
 * names the field in the message ("major number", …), worded as blang's.
 */
function numberField(text: string, what: string): bigint | string {
  if (!DIGITS.test(text)) return `Invalid character(s) found in ${what} ${goQuote(text)}`;
  if (text.length > 1 && text.startsWith('0'))
    return `${what[0]?.toUpperCase()}${what.slice(1)} must not contain leading zeroes ${goQuote(text)}`;
  return uint64(text);
}

/** strconv.ParseUint's verdict on a run of digits. */
function uint64(digits: string): bigint | string {
  if (digits === '') return 'strconv.ParseUint: parsing "": invalid syntax';
  const value = BigInt(digits);
  return value > UINT64_MAX ? `strconv.ParseUint: parsing ${goQuote(digits)}: value out of range` : value;
}

function preReleaseField(text: string): string | undefined {
  if (text === '') return 'Prerelease is empty';
  if (DIGITS.test(text)) {
    if (text.length > 1 && text.startsWith('0'))
      return `Numeric PreRelease version must not contain leading zeroes ${goQuote(text)}`;
    const parsed = uint64(text);
    return typeof parsed === 'string' ? parsed : undefined;
  }
  return IDENTIFIER.test(text) ? undefined : `Invalid character(s) found in prerelease ${goQuote(text)}`;
}

/** blang/semver's Parse: MAJOR.MINOR.PATCH[-pre][+build], failures in its words. */
function parseStrict(text: string): Semver | string {
  if (text === '') return 'Version string empty';
  const dot1 = text.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : text.indexOf('.', dot1 + 1);
  if (dot2 < 0) return 'No Major.Minor.Patch elements found';
  const major = numberField(text.slice(0, dot1), 'major number');
  if (typeof major === 'string') return major;
  const minor = numberField(text.slice(dot1 + 1, dot2), 'minor number');
  if (typeof minor === 'string') return minor;
  let rest = text.slice(dot2 + 1);
  const plus = rest.indexOf('+');
  const build = plus >= 0 ? rest.slice(plus + 1).split('.') : [];
  if (plus >= 0) rest = rest.slice(0, plus);
  const dash = rest.indexOf('-');
  const pre = dash >= 0 ? rest.slice(dash + 1).split('.') : [];
  if (dash >= 0) rest = rest.slice(0, dash);
  const patch = numberField(rest, 'patch number');
  if (typeof patch === 'string') return patch;
  for (const field of pre) {
    const problem = preReleaseField(field);
    if (problem) return problem;
  }
  for (const field of build) {
    if (field === '') return 'Build meta data is empty';
    if (!IDENTIFIER.test(field)) return `Invalid character(s) found in build meta data ${goQuote(field)}`;
  }
  return new Semver(major, minor, patch, pre);
}

/**
 * semver(s, true): a leading 'v' dropped, leading zeros of each of the first three dot-separated
 * parts dropped, missing minor/patch filled with 0; whitespace is not trimmed.
 */
function parseNormalized(text: string): Semver | string {
  const withoutV = text.startsWith('v') ? text.slice(1) : text;
  const dot1 = withoutV.indexOf('.');
  const dot2 = dot1 < 0 ? -1 : withoutV.indexOf('.', dot1 + 1);
  const parts =
    dot1 < 0
      ? [withoutV]
      : dot2 < 0
        ? [withoutV.slice(0, dot1), withoutV.slice(dot1 + 1)]
        : [withoutV.slice(0, dot1), withoutV.slice(dot1 + 1, dot2), withoutV.slice(dot2 + 1)];
  const trimmed = parts.map((part) => {
    if (part.length <= 1) return part;
    const rest = part.replace(/^0+/, '');
    return /^[0-9]/.test(rest) ? rest : `0${rest}`;
  });
  if (trimmed.length < 3) {
    if (/[+-]/.test(trimmed[trimmed.length - 1] ?? ''))
      return 'short version cannot contain PreRelease/Build meta data';
    while (trimmed.length < 3) trimmed.push('0');
  }
  return parseStrict(trimmed.join('.'));
}

export function parseSemver(text: string, normalize = false): Semver | string {
  return normalize ? parseNormalized(text) : parseStrict(text);
}

function toSemver(text: string, normalize = false): Semver {
  const v = parseSemver(text, normalize);
  if (typeof v === 'string') throw celError(v);
  return v;
}

export const semverLibrary: CelLibrary = {
  name: 'semver',
  register(env) {
    env
      .registerType('kubernetes.Semver', Semver)
      .registerFunction('semver(string): kubernetes.Semver', (t: string) => toSemver(t))
      .registerFunction('semver(string, bool): kubernetes.Semver', (t: string, n: boolean) => toSemver(t, n))
      .registerFunction('isSemver(string): bool', (t: string) => typeof parseSemver(t) !== 'string')
      .registerFunction(
        'isSemver(string, bool): bool',
        (t: string, n: boolean) => typeof parseSemver(t, n) !== 'string',
      )
      .registerFunction('kubernetes.Semver.major(): int', (v: Semver) => v.major)
      .registerFunction('kubernetes.Semver.minor(): int', (v: Semver) => v.minor)
      .registerFunction('kubernetes.Semver.patch(): int', (v: Semver) => v.patch)
      .registerFunction('kubernetes.Semver.compareTo(kubernetes.Semver): int', (a: Semver, b: Semver) =>
        BigInt(a.compare(b)),
      )
      .registerFunction(
        'kubernetes.Semver.isGreaterThan(kubernetes.Semver): bool',
        (a: Semver, b: Semver) => a.compare(b) > 0,
      )
      .registerFunction(
        'kubernetes.Semver.isLessThan(kubernetes.Semver): bool',
        (a: Semver, b: Semver) => a.compare(b) < 0,
      )
      .registerOperator(
        'kubernetes.Semver == kubernetes.Semver',
        (a: Semver, b: Semver) => a.compare(b) === 0,
      );
  },
};
