import type { VersionOrdering } from './version-ordering.js';

// Debian Policy §5.6.12: [epoch:]upstream_version[-debian_revision]; compared part by part with verrevcmp.
interface DpkgVersion {
  epoch: number;
  upstream: string;
  revision: string;
}

function parse(version: string): DpkgVersion | undefined {
  const text = version.trim();
  const colon = text.indexOf(':');
  const epochText = colon >= 0 ? text.slice(0, colon) : '0';
  if (!/^\d+$/.test(epochText)) return undefined;
  const rest = colon >= 0 ? text.slice(colon + 1) : text;
  const dash = rest.lastIndexOf('-');
  const upstream = dash >= 0 ? rest.slice(0, dash) : rest;
  const revision = dash >= 0 ? rest.slice(dash + 1) : '';
  if (upstream === '' || !/^[0-9]/.test(upstream) || !/^[A-Za-z0-9.+~:-]*$/.test(upstream)) return undefined;
  if (!/^[A-Za-z0-9.+~]*$/.test(revision)) return undefined;
  return { epoch: Number(epochText), upstream, revision };
}

const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';
const isAlpha = (c: string | undefined) => c !== undefined && /[A-Za-z]/.test(c);

/** dpkg's character weight: `~` sorts before everything, even the end; letters before other symbols. */
function order(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (isAlpha(c)) return c.charCodeAt(0);
  if (c === '~') return -1;
  return c.charCodeAt(0) + 256;
}

/** dpkg's verrevcmp: alternate non-digit runs (by weight) and digit runs (numerically). */
export function verrevcmp(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let firstDiff = 0;
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const ac = order(a[i]);
      const bc = order(b[j]);
      if (ac !== bc) return ac - bc;
      i++;
      j++;
    }
    while (a[i] === '0') i++;
    while (b[j] === '0') j++;
    while (isDigit(a[i]) && isDigit(b[j])) {
      if (!firstDiff) firstDiff = a.charCodeAt(i) - b.charCodeAt(j);
      i++;
      j++;
    }
    if (isDigit(a[i])) return 1;
    if (isDigit(b[j])) return -1;
    if (firstDiff) return firstDiff;
  }
  return 0;
}

export function compareDpkg(a: string, b: string): number {
  const va = parse(a);
  const vb = parse(b);
  if (!va || !vb) return va ? 1 : vb ? -1 : a.localeCompare(b);
  return Math.sign(
    va.epoch - vb.epoch || verrevcmp(va.upstream, vb.upstream) || verrevcmp(va.revision, vb.revision),
  );
}

export const dpkgOrdering: VersionOrdering = {
  ecosystems: ['Debian', 'Ubuntu'],
  isValid: (v) => parse(v) !== undefined,
  compare: compareDpkg,
};
