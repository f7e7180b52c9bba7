import type { VersionOrdering } from './version-ordering.js';

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlnum = (c: string | undefined) => c !== undefined && /[A-Za-z0-9]/.test(c);

/** rpm's rpmvercmp (lib/rpmvercmp.c): alphanumeric segments, `~` sorts first, `^` sorts after the end. */
export function rpmvercmp(a: string, b: string): number {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (i < a.length && !isAlnum(a[i]) && a[i] !== '~' && a[i] !== '^') i++;
    while (j < b.length && !isAlnum(b[j]) && b[j] !== '~' && b[j] !== '^') j++;
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
    const take = (s: string, k: number) => {
      let end = k;
      while (end < s.length && (numeric ? isDigit(s[end]) : /[A-Za-z]/.test(s[end]!))) end++;
      return end;
    };
    const ei = take(a, i);
    const ej = take(b, j);
    const segA = a.slice(i, ei);
    const segB = b.slice(j, ej);
    // A numeric segment is newer than an alphabetic one.
    if (segB === '') return numeric ? 1 : -1;
    if (numeric) {
      const na = segA.replace(/^0+/, '');
      const nb = segB.replace(/^0+/, '');
      if (na.length !== nb.length) return na.length > nb.length ? 1 : -1;
      if (na !== nb) return na > nb ? 1 : -1;
    } else if (segA !== segB) {
      return segA > segB ? 1 : -1;
    }
    i = ei;
    j = ej;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}

interface Evr {
  epoch: number;
  version: string;
  release: string;
}

function parseEvr(text: string): Evr {
  const colon = text.indexOf(':');
  const epoch = colon >= 0 && /^\d+$/.test(text.slice(0, colon)) ? Number(text.slice(0, colon)) : 0;
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  const dash = rest.lastIndexOf('-');
  return {
    epoch,
    version: dash >= 0 ? rest.slice(0, dash) : rest,
    release: dash >= 0 ? rest.slice(dash + 1) : '',
  };
}

/** [epoch:]version[-release], as rpm compares EVRs; a missing release compares equal to any. */
export function compareRpm(a: string, b: string): number {
  const x = parseEvr(a);
  const y = parseEvr(b);
  if (x.epoch !== y.epoch) return x.epoch > y.epoch ? 1 : -1;
  const version = rpmvercmp(x.version, y.version);
  if (version !== 0 || x.release === '' || y.release === '') return version;
  return rpmvercmp(x.release, y.release);
}

export const rpmOrdering: VersionOrdering = {
  ecosystems: [
    'Red Hat',
    'AlmaLinux',
    'Rocky Linux',
    'openSUSE',
    'SUSE',
    'Mageia',
    'Photon OS',
    'Azure Linux',
    'CBL-Mariner',
    'Amazon Linux',
    'Oracle Linux',
    'Fedora',
    'CentOS',
  ],
  isValid: (v) => /^[A-Za-z0-9._+~^:-]+$/.test(v),
  compare: compareRpm,
};
