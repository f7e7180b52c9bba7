import { compareDigits, compareParsed, compareText, type VersionOrdering } from './version-ordering.js';

// Dart's pub versions (pub_semver, dart.dev/tools/pub/versioning): SemVer 2.0 syntax, but build
// metadata counts — a version with `+build` sorts after the same version without it, and builds
// compare identifier by identifier like pre-releases (pub_semver Version.compareTo).
interface PubVersion {
  core: [string, string, string];
  pre: string[];
  build: string[];
}

const VERSION =
  /^(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;

function parsePub(input: string): PubVersion | undefined {
  if (input.length > 256) return undefined;
  const m = VERSION.exec(input);
  if (!m) return undefined;
  return {
    core: [m[1]!, m[2]!, m[3]!],
    pre: m[4] ? m[4].split('.') : [],
    build: m[5] ? m[5].split('.') : [],
  };
}

/** pub_semver _compareLists: numbers numerically and before strings; a shorter list of equal prefix first. */
function compareIdentifiers(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (i >= a.length) return -1;
    if (i >= b.length) return 1;
    const an = /^\d+$/.test(a[i]!);
    const bn = /^\d+$/.test(b[i]!);
    const result =
      an && bn ? compareDigits(a[i]!, b[i]!) : an !== bn ? (an ? -1 : 1) : compareText(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  return 0;
}

function comparePub(a: PubVersion, b: PubVersion): number {
  for (let i = 0; i < 3; i++) {
    const result = compareDigits(a.core[i]!, b.core[i]!);
    if (result !== 0) return result;
  }
  // A pre-release comes before its release; builds after it.
  if (a.pre.length !== 0 || b.pre.length !== 0) {
    if (a.pre.length === 0) return 1;
    if (b.pre.length === 0) return -1;
    const result = compareIdentifiers(a.pre, b.pre);
    if (result !== 0) return result;
  }
  if (a.build.length !== 0 || b.build.length !== 0) {
    if (a.build.length === 0) return -1;
    if (b.build.length === 0) return 1;
    return compareIdentifiers(a.build, b.build);
  }
  return 0;
}

export const pubOrdering: VersionOrdering = {
  ecosystem: 'pub',
  names: ['Pub'],
  isValid: (v) => typeof v === 'string' && parsePub(v) !== undefined,
  compare: compareParsed(parsePub, comparePub),
};
