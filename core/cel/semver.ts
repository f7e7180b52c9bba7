import type { CelLibrary } from './cel-library.js';
import { celError } from './cel-values.js';

// Kubernetes' semver library (k8s.io/apiserver/pkg/cel/library/semverlib.go), strict SemVer 2.0.0
// (blang/semver's Parse); with normalize=true a leading 'v' and missing minor/patch are accepted.

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

const NUMBER = '(0|[1-9]\\d*)';
const IDENT = '[0-9A-Za-z-]+';
const STRICT = new RegExp(
  `^${NUMBER}\\.${NUMBER}\\.${NUMBER}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?$`,
);

export function parseSemver(text: string, normalize = false): Semver | undefined {
  let input = text;
  if (normalize) {
    input = input.replace(/^v/, '');
    const core = /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(.*)$/.exec(input);
    if (core)
      input = `${BigInt(core[1] ?? 0)}.${BigInt(core[2] ?? 0)}.${BigInt(core[3] ?? 0)}${core[4] ?? ''}`;
  }
  const m = STRICT.exec(input);
  if (!m) return undefined;
  const pre = m[4] ? m[4].split('.') : [];
  // Numeric pre-release identifiers must not have leading zeros (SemVer §9).
  if (pre.some((p) => /^0\d+$/.test(p))) return undefined;
  return new Semver(BigInt(m[1] ?? 0), BigInt(m[2] ?? 0), BigInt(m[3] ?? 0), pre);
}

function toSemver(text: string, normalize = false): Semver {
  const v = parseSemver(text, normalize);
  if (!v) throw celError(`could not parse ${JSON.stringify(text)} as semver`);
  return v;
}

export const semverLibrary: CelLibrary = {
  name: 'semver',
  register(env) {
    env
      .registerType('kubernetes.Semver', Semver)
      .registerFunction('semver(string): kubernetes.Semver', (t: string) => toSemver(t))
      .registerFunction('semver(string, bool): kubernetes.Semver', (t: string, n: boolean) => toSemver(t, n))
      .registerFunction('isSemver(string): bool', (t: string) => parseSemver(t) !== undefined)
      .registerFunction(
        'isSemver(string, bool): bool',
        (t: string, n: boolean) => parseSemver(t, n) !== undefined,
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
