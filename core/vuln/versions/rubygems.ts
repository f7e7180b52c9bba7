import type { VersionOrdering } from './version-ordering.js';

// Gem::Version: segments are digit runs (numbers) and letter runs (strings); any letter makes a
// prerelease. A string segment sorts before a number; trailing zeros of the release and of the
// prerelease part are dropped (canonical_segments), so 1.0 == 1 and 1.0.a == 1.a.
const VALID = /^[0-9]+(\.[0-9a-zA-Z]+)*(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$/;

type Segment = number | string;

function canonicalSegments(version: string): Segment[] {
  const segments: Segment[] = (version.replace(/-/g, '.pre.').match(/[0-9]+|[a-z]+/gi) ?? []).map((s) =>
    /^\d+$/.test(s) ? Number(s) : s,
  );
  const firstString = segments.findIndex((s) => typeof s === 'string');
  const release = firstString < 0 ? segments : segments.slice(0, firstString);
  const pre = firstString < 0 ? [] : segments.slice(firstString);
  const trim = (list: Segment[]) => {
    let end = list.length;
    while (end > 0 && list[end - 1] === 0) end--;
    return list.slice(0, end);
  };
  return [...trim(release), ...trim(pre)];
}

export function compareRubyGems(a: string, b: string): number {
  const x = canonicalSegments(a.trim());
  const y = canonicalSegments(b.trim());
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i] ?? 0;
    const r = y[i] ?? 0;
    if (l === r) continue;
    if (typeof l === 'string' && typeof r === 'number') return -1;
    if (typeof l === 'number' && typeof r === 'string') return 1;
    return l < r ? -1 : 1;
  }
  return 0;
}

export const rubyGemsOrdering: VersionOrdering = {
  ecosystems: ['RubyGems'],
  isValid: (v) => VALID.test(v.trim()),
  compare: compareRubyGems,
};
