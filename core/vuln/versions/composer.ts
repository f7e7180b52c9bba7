import { compareDigits, compareParsed, type VersionOrdering } from './version-ordering.js';

// Packagist versions, ordered the way Composer does (composer/semver): VersionParser::normalize turns a
// version into `1.2.3.0[-stability[N]][-dev]`, then PHP's version_compare orders the normalized strings.

const MODIFIER = String.raw`[._-]?(?:(stable|beta|b|RC|alpha|a|patch|pl|p)((?:[.-]?\d+)*))?([.-]?dev)?`;
const CLASSICAL = new RegExp(String.raw`^v?(\d{1,5})(\.\d+)?(\.\d+)?(\.\d+)?${MODIFIER}$`, 'i');
const DATE = new RegExp(String.raw`^v?(\d{4}(?:[.:-]?\d{2}){1,6}(?:[.:-]?\d{1,3})?)${MODIFIER}$`, 'i');
const BRANCH = /^v?(\d+)(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?(\.(?:\d+|[xX*]))?$/;
const STABILITY_SHORT: Record<string, string> = { a: 'alpha', b: 'beta', p: 'patch', pl: 'patch', rc: 'RC' };

/**
 * VersionParser::normalize: undefined where Composer throws, and for `dev-<branch>` versions, which name
 * a branch and have no place in an order (Composer compares them only for equality).
 */
export function normalizeComposer(input: string): string | undefined {
  if (input.length > 256) return undefined;
  let version = input.trim();
  const alias = /^([^,\s]+) +as +([^,\s]+)$/.exec(version);
  if (alias) version = alias[1]!;
  version = version.replace(/@(?:stable|RC|beta|alpha|dev)$/i, '');
  if (['master', 'trunk', 'default'].includes(version) || /^dev-/i.test(version)) return undefined;
  const build = /^([^,\s+]+)\+\S+$/.exec(version);
  if (build) version = build[1]!;
  const classical = CLASSICAL.exec(version);
  const date = classical ? undefined : DATE.exec(version);
  if (classical || date) {
    const m = (classical ?? date)!;
    let normalized = classical
      ? `${m[1]}${m[2] || '.0'}${m[3] || '.0'}${m[4] || '.0'}`
      : m[1]!.replace(/\D/g, '.');
    const [stability, number, dev] = classical ? [m[5], m[6], m[7]] : [m[2], m[3], m[4]];
    if (stability) {
      if (stability === 'stable') return normalized;
      const lower = stability.toLowerCase();
      normalized += `-${STABILITY_SHORT[lower] ?? lower}${number ? number.replace(/^[.-]+/, '') : ''}`;
    }
    return dev ? `${normalized}-dev` : normalized;
  }
  // A numeric branch (`2.1.x-dev`) is a version: its x's become 9999999.
  const branch = /^(.*?)[.-]?dev$/i.exec(version);
  const numeric = branch ? BRANCH.exec(branch[1]!.trim()) : null;
  if (!numeric) return undefined;
  const parts = [1, 2, 3, 4].map((i) => (numeric[i] ?? '.x').replace(/[*X]/g, 'x'));
  return `${parts.join('').replace(/x/g, '9999999')}-dev`;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string) => /^[A-Za-z0-9]$/.test(c);

/** php_canonicalize_version: `-`, `_`, `+` and other non-alphanumerics become `.`, and so do digit/letter changes. */
function canonicalize(version: string): string {
  let out = version[0] ?? '';
  let last = out;
  for (const c of version.slice(1)) {
    const previous = out[out.length - 1];
    const digitChange =
      (!isDigit(last) && last !== '.' && isDigit(c)) || (isDigit(last) && !isDigit(c) && c !== '.');
    if ('-_+'.includes(c) || (!digitChange && !isAlnum(c))) {
      if (previous !== '.') out += '.';
    } else if (digitChange) {
      if (previous !== '.') out += '.';
      out += c;
    } else {
      out += c;
    }
    last = c;
  }
  return out;
}

/** compare_special_version_forms: prefix match against PHP's table; anything else sorts first (-1). */
const SPECIAL_FORMS: ReadonlyArray<readonly [string, number]> = [
  ['dev', 0],
  ['alpha', 1],
  ['a', 1],
  ['beta', 2],
  ['b', 2],
  ['RC', 3],
  ['rc', 3],
  ['#', 4],
  ['pl', 5],
  ['p', 5],
];
const formOrder = (form: string) => SPECIAL_FORMS.find(([name]) => form.startsWith(name))?.[1] ?? -1;
const NUMBER = '#N#';

function compareSegment(a: string, b: string): number {
  if (isDigit(a[0]) && isDigit(b[0])) return compareDigits(/^\d+/.exec(a)![0], /^\d+/.exec(b)![0]);
  return Math.sign(formOrder(isDigit(a[0]) ? NUMBER : a) - formOrder(isDigit(b[0]) ? NUMBER : b));
}

/** php_version_compare on two canonical strings; after the common part, the longer one's next segment decides. */
export function phpVersionCompare(x: string, y: string): number {
  if (x === '' || y === '') return x === y ? 0 : x === '' ? -1 : 1;
  const a = canonicalize(x).split('.');
  const b = canonicalize(y).split('.');
  const common = Math.min(a.length, b.length);
  for (let i = 0; i < common; i++) {
    if (a[i] === '' || b[i] === '') break; // PHP stops at an empty segment
    const result = compareSegment(a[i]!, b[i]!);
    if (result !== 0) return result;
  }
  if (a.length > b.length) return isDigit(a[common]?.[0]) ? 1 : compareSegment(a[common] ?? '', NUMBER);
  if (b.length > a.length) return isDigit(b[common]?.[0]) ? -1 : compareSegment(NUMBER, b[common] ?? '');
  return 0;
}

export const composerOrdering: VersionOrdering = {
  ecosystem: 'composer',
  names: ['Packagist'],
  isValid: (v) => typeof v === 'string' && normalizeComposer(v) !== undefined,
  compare: compareParsed(normalizeComposer, phpVersionCompare),
};
