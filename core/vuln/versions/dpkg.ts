import { compareParsed, type VersionOrdering } from './version-ordering.js';

// Debian Policy §5.6.12: [epoch:]upstream_version[-debian_revision], compared as dpkg does
// (lib/dpkg/version.c dpkg_version_compare and verrevcmp; parsing per lib/dpkg/parsehelp.c).
interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
  /** Set when dpkg would only warn (it still compares such versions, but Policy forbids them). */
  warning?: string;
}

const INT_MAX = 2147483647;

/** parseversion(): hard errors give undefined; Policy violations dpkg only warns about are kept. */
export function parseDpkgVersion(version: string): DpkgVersion | undefined {
  const text = version.replace(/^[ \t]+|[ \t]+$/g, '');
  if (text === '' || /[ \t]/.test(text)) return undefined;
  const colon = text.indexOf(':');
  let epoch = 0;
  if (colon >= 0) {
    const epochText = text.slice(0, colon);
    if (!/^\d+$/.test(epochText) || Number(epochText) > INT_MAX) return undefined;
    epoch = Number(epochText);
  }
  const rest = text.slice(colon + 1);
  if (rest === '') return undefined;
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '' || (dash >= 0 && revision === '')) return undefined;
  const parsed: DpkgVersion = { epoch, upstream, revision };
  if (!/^[0-9]/.test(upstream)) parsed.warning = 'version number does not start with digit';
  else if (!/^[A-Za-z0-9.+~:-]*$/.test(upstream)) parsed.warning = 'invalid character in version number';
  else if (!/^[A-Za-z0-9.+~]*$/.test(revision)) parsed.warning = 'invalid character in revision number';
  return parsed;
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) =>
  c !== undefined && ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'));

/** dpkg's order(): `~` sorts before everything, even the end of the part; letters before other symbols. */
function weight(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternating non-digit runs (by weight) and digit runs (numerically). */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const diff = weight(a[i]) - weight(b[j]);
      if (diff !== 0) return diff;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (firstDiff === 0) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff !== 0) return firstDiff;
  }
  return 0;
}

function compareVersions(a: DpkgVersion, b: DpkgVersion): number {
  if (a.epoch !== b.epoch) return a.epoch - b.epoch;
  return verrevcmp(a.upstream, b.upstream) || verrevcmp(a.revision, b.revision);
}

export const dpkgOrdering: VersionOrdering = {
  ecosystem: 'dpkg',
  names: ['Debian', 'Ubuntu'],
  isValid(v) {
    const parsed = typeof v === 'string' ? parseDpkgVersion(v) : undefined;
    return parsed !== undefined && parsed.warning === undefined;
  },
  compare: compareParsed(parseDpkgVersion, compareVersions),
};
