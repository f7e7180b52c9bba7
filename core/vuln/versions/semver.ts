import semver from 'semver';
import type { VersionOrdering } from './version-ordering.js';

const parse = (v: string) => semver.parse(v.trim().replace(/^v/, ''), { loose: true });

/** node-semver ordering (npm), also Go modules (`v` prefix, pseudo-versions are prereleases) and crates. */
function compareSemver(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
  return semver.compare(x, y);
}

export const npmOrdering: VersionOrdering = {
  ecosystems: ['npm', 'crates.io', 'Hex', 'Pub', 'SwiftURL'],
  isValid: (v) => parse(v) !== null,
  compare: compareSemver,
};

export const goOrdering: VersionOrdering = {
  ecosystems: ['Go'],
  // `+incompatible` is build metadata to semver: ignored in ordering, as Go does.
  isValid: (v) => parse(v) !== null,
  compare: compareSemver,
};
