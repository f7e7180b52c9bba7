import { compareDigits, compareParsed, compareText, type VersionOrdering } from './version-ordering.js';

// Semantic Versioning 2.0.0 (semver.org), the order OSV's `SEMVER` range type is defined by.
// Numbers of any size compare exactly (strings, not floats).
export interface SemVer2 {
  major: string;
  minor: string;
  patch: string;
  prerelease: string[];
}

const NUMBER = '0|[1-9]\\d*';
const IDENT = '(?:0|[1-9]\\d*|\\d*[A-Za-z-][0-9A-Za-z-]*)';
const SEMVER_2 = new RegExp(
  `^(${NUMBER})\\.(${NUMBER})\\.(${NUMBER})(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+[0-9A-Za-z-]+(?:\\.[0-9A-Za-z-]+)*)?$`,
);

/** §2, §9, §10: MAJOR.MINOR.PATCH, no leading zeros, optional -prerelease and +build. */
export function parseSemVer2(version: string): SemVer2 | undefined {
  if (version.length > 1024) return undefined;
  const m = SEMVER_2.exec(version);
  if (!m) return undefined;
  return { major: m[1]!, minor: m[2]!, patch: m[3]!, prerelease: m[4] ? m[4].split('.') : [] };
}

/** §11.4: numeric identifiers numerically and before alphanumeric ones, which compare in ASCII order. */
export function compareIdentifiers(a: string, b: string): number {
  const an = /^\d+$/.test(a);
  const bn = /^\d+$/.test(b);
  if (an && bn) return compareDigits(a, b);
  if (an !== bn) return an ? -1 : 1;
  return compareText(a, b);
}

/** §11: precedence; build metadata is ignored, a prerelease sorts before its release. */
export function compareSemVer2(a: SemVer2, b: SemVer2): number {
  const core =
    compareDigits(a.major, b.major) || compareDigits(a.minor, b.minor) || compareDigits(a.patch, b.patch);
  if (core !== 0) return core;
  return comparePrerelease(a.prerelease, b.prerelease);
}

/**
 * §11.3–11.4: a version without pre-release identifiers sorts after one with them; otherwise identifier by
 * identifier, a shorter list of equal prefix first. `identifier` compares one pair (NuGet: case-insensitively).
 */
export function comparePrerelease(
  a: readonly string[],
  b: readonly string[],
  identifier: (x: string, y: string) => number = compareIdentifiers,
): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const result = identifier(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  return a.length - b.length;
}

/**
 * Strict SemVer 2.0: OSV `SEMVER` ranges, and ecosystems whose versions are SemVer 2.0: Cargo (the semver
 * crate), Hex (Elixir's Version module) and Swift packages (SwiftPM's Version).
 */
export const semver2Ordering: VersionOrdering = {
  ecosystem: 'semver',
  names: ['crates.io', 'Hex', 'SwiftURL'],
  isValid: (v) => typeof v === 'string' && parseSemVer2(v) !== undefined,
  compare: compareParsed(parseSemVer2, compareSemVer2),
};
