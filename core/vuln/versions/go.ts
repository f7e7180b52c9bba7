import { compareSemVer2, parseSemVer2, type SemVer2 } from './semver2.js';
import { compareParsed, type VersionOrdering } from './version-ordering.js';

// Go module versions (golang.org/x/mod/semver): SemVer 2.0 with a `v` prefix, which OSV's Go
// ecosystem drops (`1.2.3`), so both spellings are read. `vMAJOR` and `vMAJOR.MINOR` are
// shorthands for `.0` (no prerelease or build on a shorthand). Pseudo-versions
// (`v0.0.0-20210101000000-abcdefabcdef`, `v1.2.4-0.2021…`) are prereleases and so sort just
// before the release they precede; `+incompatible` is build metadata and does not affect order.
function parseGo(version: string): SemVer2 | undefined {
  const text = version.startsWith('v') ? version.slice(1) : version;
  const shorthand = /^(0|[1-9]\d*)(?:\.(0|[1-9]\d*))?$/.exec(text);
  if (shorthand) return { major: shorthand[1]!, minor: shorthand[2] ?? '0', patch: '0', prerelease: [] };
  return parseSemVer2(text);
}

export const goOrdering: VersionOrdering = {
  ecosystem: 'go',
  names: ['Go', 'Kubernetes'],
  isValid: (v) => typeof v === 'string' && parseGo(v) !== undefined,
  compare: compareParsed(parseGo, compareSemVer2),
};
