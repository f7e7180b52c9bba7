import { compareDigits, compareParsed, compareText, type VersionOrdering } from './version-ordering.js';

// RubyGems' Gem::Version (lib/rubygems/version.rb). A version is digit runs and letter runs; any
// letter makes it a prerelease (`1.0.a` < `1.0`); `-` stands for `.pre.`; trailing zeros of the
// release part and of the prerelease part are dropped (canonical_segments), so `1.0` == `1` and
// `1.0.a` == `1.a`. A letter segment sorts before a number; letters compare as text.
const ANCHORED_VERSION = /^\s*([0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?)?\s*$/;

type Segment = { number: string } | { text: string };

function canonicalSegments(version: string): Segment[] | undefined {
  if (version.length > 1024 || !ANCHORED_VERSION.test(version)) return undefined;
  const text = version.trim() === '' ? '0' : version.trim().replace(/-/g, '.pre.');
  const segments: Segment[] = (text.match(/[0-9]+|[a-z]+/gi) ?? []).map((s) =>
    /^\d/.test(s) ? { number: s } : { text: s },
  );
  const firstText = segments.findIndex((s) => 'text' in s);
  const release = firstText < 0 ? segments : segments.slice(0, firstText);
  const pre = firstText < 0 ? [] : segments.slice(firstText);
  return [...dropTrailingZeros(release), ...dropTrailingZeros(pre)];
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && isZero(segments[end - 1]!)) end--;
  return segments.slice(0, end);
}

const isZero = (s: Segment) => 'number' in s && /^0+$/.test(s.number);
const ZERO: Segment = { number: '0' };

/** Gem::Version#<=>: segment by segment, a missing segment counting as 0. */
function compareSegments(x: Segment[], y: Segment[]): number {
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i] ?? ZERO;
    const r = y[i] ?? ZERO;
    if ('text' in l && 'number' in r) return -1;
    if ('number' in l && 'text' in r) return 1;
    const result =
      'number' in l
        ? compareDigits(l.number, (r as { number: string }).number)
        : compareText(l.text, (r as { text: string }).text);
    if (result !== 0) return result;
  }
  return 0;
}

export const rubyGemsOrdering: VersionOrdering = {
  ecosystem: 'rubygems',
  names: ['RubyGems'],
  isValid: (v) => typeof v === 'string' && canonicalSegments(v) !== undefined,
  compare: compareParsed(canonicalSegments, compareSegments),
};
