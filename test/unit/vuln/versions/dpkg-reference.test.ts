import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { dpkgOrdering } from '../../../../core/vuln/versions/dpkg.js';
import { pick, seededRandom } from './seeded-random.js';

const PIECES = [
  '0',
  '1',
  '2',
  '9',
  '10',
  '01',
  '00',
  'a',
  'b',
  'z',
  'A',
  'rc',
  '~',
  '~~',
  '+',
  '.',
  '~rc1',
  'dfsg',
  '+deb12u1',
  'ubuntu',
];

function part(rnd: () => number): string {
  return Array.from({ length: 1 + Math.floor(rnd() * 5) }, () => pick(rnd, PIECES)).join('');
}

/** Policy-valid versions: epochs, tildes, letters, symbols, several hyphens and revisions. */
function dpkgVersion(rnd: () => number): string {
  const epoch = rnd() < 0.2 ? `${pick(rnd, ['0', '1', '2', '01', '10'])}:` : '';
  let upstream = `${Math.floor(rnd() * 12)}${part(rnd)}`;
  if (rnd() < 0.15) upstream += `-${part(rnd)}`;
  if (epoch !== '' && rnd() < 0.1) upstream += `:${part(rnd)}`;
  // Policy: a hyphen or colon in the upstream version needs a revision after it.
  const needsRevision = upstream.includes('-') || upstream.includes(':');
  const revision =
    needsRevision || rnd() < 0.6
      ? `-${pick(rnd, ['0', '1', '2', '10', 'a', '~'])}${rnd() < 0.5 ? part(rnd) : ''}`
      : '';
  return `${epoch}${upstream}${revision}`;
}

/** Asks dpkg about every pair in one shell: the pairs are read from a file, never become code. */
function dpkgVerdicts(pairs: ReadonlyArray<readonly [string, string]>): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'seco-dpkg-'));
  try {
    writeFileSync(join(dir, 'pairs'), `${pairs.map(([a, b]) => `${a} ${b}`).join('\n')}\n`);
    const script =
      'while read a b; do if dpkg --compare-versions "$a" lt "$b"; then echo -1; elif dpkg --compare-versions "$a" eq "$b"; then echo 0; else echo 1; fi; done < "$1"';
    const out = execFileSync('sh', ['-c', script, 'sh', join(dir, 'pairs')], {
      encoding: 'utf8',
      maxBuffer: 1 << 24,
    });
    return out.trim().split('\n').map(Number);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('dpkg ordering against dpkg --compare-versions', () => {
  it('agrees on 2,000 generated pairs of valid versions', () => {
    const rnd = seededRandom(20240607);
    const pairs = Array.from({ length: 2000 }, () => {
      const a = dpkgVersion(rnd);
      return [a, rnd() < 0.08 ? a.replace(/^0:/, '') : dpkgVersion(rnd)] as const;
    });
    const invalid = pairs.flat().filter((v) => !dpkgOrdering.isValid(v));
    expect(invalid).toEqual([]);
    const verdicts = dpkgVerdicts(pairs);
    expect(verdicts).toHaveLength(pairs.length);
    const wrong = pairs
      .map(([a, b], i) => ({ a, b, dpkg: verdicts[i], ours: Math.sign(dpkgOrdering.compare(a, b)) }))
      .filter((c) => c.dpkg !== c.ours);
    expect(wrong.slice(0, 10)).toEqual([]);
  });

  it('compares versions Policy forbids but dpkg only warns about, as dpkg does', () => {
    const pairs = [
      ['a1', '1'],
      ['1.0_1', '1.0'],
      ['1.0-1_2', '1.0-1'],
      ['1.0 ', '1.0'],
    ] as const;
    expect(pairs.map(([a]) => dpkgOrdering.isValid(a))).toEqual([false, false, false, true]);
    expect(pairs.map(([a, b]) => Math.sign(dpkgOrdering.compare(a, b)))).toEqual(
      dpkgVerdicts(pairs.map(([a, b]) => [a.trim(), b] as const)),
    );
  });

  it('rejects what dpkg cannot parse', () => {
    for (const bad of ['', '1:', ':1', 'a:1', '-1:1', '1.0-', '1 0', '99999999999:1'])
      expect([bad, dpkgOrdering.isValid(bad)]).toEqual([bad, false]);
  });
});
