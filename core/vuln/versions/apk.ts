import type { VersionOrdering } from './version-ordering.js';

// apk-tools (Gentoo-style) versions: numbers[.numbers…][letter][_suffix[N]…][-rN].
// Suffix order: _alpha < _beta < _pre < _rc < (none) < _cvs < _svn < _git < _hg < _p.
const SUFFIX_RANK: Record<string, number> = {
  alpha: -5,
  beta: -4,
  pre: -3,
  rc: -2,
  cvs: 1,
  svn: 2,
  git: 3,
  hg: 4,
  p: 5,
};
const PATTERN = /^(\d+(?:\.\d+)*)([a-z]?)((?:_(?:alpha|beta|pre|rc|cvs|svn|git|hg|p)\d*)*)(?:-r(\d+))?$/;

interface ApkVersion {
  numbers: string[];
  letter: string;
  suffixes: Array<{ rank: number; n: number }>;
  revision: number;
}

function parse(version: string): ApkVersion | undefined {
  const m = PATTERN.exec(version.trim());
  if (!m) return undefined;
  const suffixes = [...m[3]!.matchAll(/_([a-z]+)(\d*)/g)].map((s) => ({
    rank: SUFFIX_RANK[s[1]!]!,
    n: s[2] ? Number(s[2]) : 0,
  }));
  return { numbers: m[1]!.split('.'), letter: m[2]!, suffixes, revision: m[4] ? Number(m[4]) : 0 };
}

function compareNumbers(a: string[], b: string[]): number {
  for (let k = 0; k < Math.max(a.length, b.length); k++) {
    const x = a[k];
    const y = b[k];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    // After the first component, a leading zero makes the component a decimal fraction (Gentoo/apk rule).
    if (k > 0 && (x.startsWith('0') || y.startsWith('0'))) {
      const fx = x.replace(/0+$/, '');
      const fy = y.replace(/0+$/, '');
      if (fx !== fy) return fx > fy ? 1 : -1;
      continue;
    }
    const d = BigInt(x) - BigInt(y);
    if (d !== 0n) return d > 0n ? 1 : -1;
  }
  return 0;
}

export function compareApk(a: string, b: string): number {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : a.localeCompare(b);
  const numbers = compareNumbers(x.numbers, y.numbers);
  if (numbers !== 0) return numbers;
  if (x.letter !== y.letter) return x.letter > y.letter ? 1 : -1;
  for (let k = 0; k < Math.max(x.suffixes.length, y.suffixes.length); k++) {
    const sx = x.suffixes[k] ?? { rank: 0, n: 0 };
    const sy = y.suffixes[k] ?? { rank: 0, n: 0 };
    if (sx.rank !== sy.rank) return sx.rank > sy.rank ? 1 : -1;
    if (sx.n !== sy.n) return sx.n > sy.n ? 1 : -1;
  }
  return Math.sign(x.revision - y.revision);
}

export const apkOrdering: VersionOrdering = {
  ecosystems: ['Alpine', 'Wolfi', 'Chainguard'],
  isValid: (v) => parse(v) !== undefined,
  compare: compareApk,
};
