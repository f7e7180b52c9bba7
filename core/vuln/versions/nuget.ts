import { compareIdentifiers, comparePrerelease } from './semver2.js';
import { compareDigits, compareParsed, type VersionOrdering } from './version-ordering.js';

// NuGet package versions (learn.microsoft.com/nuget/concepts/package-versioning): SemVer 2.0 with a
// fourth "Revision" number allowed (legacy System.Version style), leading zeros and missing parts
// accepted on input and normalized away (1.0 = 1.0.0 = 1.00.0.0), pre-release labels compared
// case-insensitively, build metadata ignored (NuGet.Versioning's VersionComparer.Default).
interface NuGetVersion {
  numbers: [string, string, string, string];
  release: string[];
}

const VERSION =
  /^(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?$/;

function parseNuGet(input: string): NuGetVersion | undefined {
  if (input.length > 256) return undefined;
  const m = VERSION.exec(input.trim());
  if (!m) return undefined;
  const numbers = [m[1]!, m[2] ?? '0', m[3] ?? '0', m[4] ?? '0'] as NuGetVersion['numbers'];
  // NuGet.Versioning parses each number as an Int32.
  if (numbers.some((n) => n.replace(/^0+/, '').length > 10 || Number(n) > 2 ** 31 - 1)) return undefined;
  return { numbers, release: m[5] ? m[5].split('.') : [] };
}

/** Release labels as SemVer 2.0 identifiers, but letters case-insensitively. */
const compareLabel = (a: string, b: string) => compareIdentifiers(a.toLowerCase(), b.toLowerCase());

function compareNuGet(a: NuGetVersion, b: NuGetVersion): number {
  for (let i = 0; i < 4; i++) {
    const result = compareDigits(a.numbers[i]!, b.numbers[i]!);
    if (result !== 0) return result;
  }
  return comparePrerelease(a.release, b.release, compareLabel);
}

export const nugetOrdering: VersionOrdering = {
  ecosystem: 'nuget',
  names: ['NuGet'],
  isValid: (v) => typeof v === 'string' && parseNuGet(v) !== undefined,
  compare: compareParsed(parseNuGet, compareNuGet),
};
