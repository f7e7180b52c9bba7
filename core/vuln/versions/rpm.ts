import { compareDigits, compareText, type VersionOrdering } from './version-ordering.js';

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) =>
  c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));
const isSeparator = (c: string | undefined) =>
  c !== undefined && !isDigit(c) && !isAlpha(c) && c !== '~' && c !== '^';

function runEnd(s: string, from: number, numeric: boolean): number {
  let end = from;
  while (end < s.length && (numeric ? isDigit(s[end]) : isAlpha(s[end]))) end++;
  return end;
}

/**
 * rpm's rpmvercmp (rpmio/rpmvercmp.c): ASCII alphanumeric segments, anything else separates them;
 * `~` sorts before everything (even the end), `^` after the end but before any other segment; a
 * numeric segment is newer than an alphabetic one; whoever has segments left over is newer.
 */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(a[i])) i++;
    while (isSeparator(b[j])) j++;
    if (a[i] === '~' || b[j] === '~') {
      if (a[i] !== '~') return 1;
      if (b[j] !== '~') return -1;
      i++;
      j++;
      continue;
    }
    if (a[i] === '^' || b[j] === '^') {
      if (i >= a.length) return -1;
      if (j >= b.length) return 1;
      if (a[i] !== '^') return 1;
      if (b[j] !== '^') return -1;
      i++;
      j++;
      continue;
    }
    if (i >= a.length || j >= b.length) break;
    const numeric = isDigit(a[i]);
    const ei = runEnd(a, i, numeric);
    const ej = runEnd(b, j, numeric);
    if (ej === j) return numeric ? 1 : -1;
    const result = numeric
      ? compareDigits(a.slice(i, ei), b.slice(j, ej))
      : compareText(a.slice(i, ei), b.slice(j, ej));
    if (result !== 0) return result;
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

export interface Evr {
  epoch: string;
  version: string;
  release?: string;
}

/** rpm's parseEVR: an epoch is a leading run of digits ended by `:`; the release follows the last `-`. */
export function parseEvr(text: string): Evr {
  const digits = /^\d*/.exec(text)![0];
  const hasEpoch = text[digits.length] === ':';
  const rest = hasEpoch ? text.slice(digits.length + 1) : text;
  const dash = rest.lastIndexOf('-');
  const evr: Evr = {
    epoch: hasEpoch && digits !== '' ? digits : '0',
    version: dash >= 0 ? rest.slice(0, dash) : rest,
  };
  if (dash >= 0) evr.release = rest.slice(dash + 1);
  return evr;
}

/**
 * EVR order as rpm 4.18 compares labels (rpm.vercmp): epoch, then version, then release, where a
 * label with a release is newer than the same version without one.
 */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(String(a));
  const y = parseEvr(String(b));
  const result = rpmvercmp(x.epoch, y.epoch) || rpmvercmp(x.version, y.version);
  if (result !== 0) return result;
  if (x.release !== undefined && y.release !== undefined) return rpmvercmp(x.release, y.release);
  return x.release !== undefined ? 1 : y.release !== undefined ? -1 : 0;
}

export const rpmOrdering: VersionOrdering = {
  ecosystem: 'rpm',
  names: [
    'Red Hat',
    'AlmaLinux',
    'Rocky Linux',
    'openSUSE',
    'SUSE',
    'Mageia',
    'Photon OS',
    'Azure Linux',
    'openEuler',
    'Oracle Linux',
    'Amazon Linux',
    'Fedora',
    'CentOS',
  ],
  // rpm accepts any label; one with whitespace or control characters is not a package version.
  isValid: (v) => typeof v === 'string' && /^[\x21-\x7e]+$/.test(v) && parseEvr(v).version !== '',
  compare: compareRpm,
};
