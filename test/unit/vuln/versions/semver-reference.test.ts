import { describe, expect, it } from '@jest/globals';
import semver from 'semver';
import { goOrdering } from '../../../../core/vuln/versions/go.js';
import { npmOrdering } from '../../../../core/vuln/versions/npm.js';
import { semver2Ordering } from '../../../../core/vuln/versions/semver2.js';
import { pick, seededRandom } from './seeded-random.js';

const PRERELEASES = [
  'alpha',
  'beta',
  'rc',
  '0',
  '1',
  '11',
  '2',
  'alpha.1',
  'alpha.beta',
  'rc.2',
  'rc.10',
  'x-y',
  '0.20210101000000-abcdefabcdef',
];

function semverVersion(rnd: () => number): string {
  const core = [0, 1, 2].map(() => pick(rnd, ['0', '1', '2', '3', '10', '21'])).join('.');
  const pre = rnd() < 0.45 ? `-${pick(rnd, PRERELEASES)}` : '';
  const build = rnd() < 0.15 ? `+${pick(rnd, ['build.5', 'incompatible', '001', 'sha.abc'])}` : '';
  return `${core}${pre}${build}`;
}

describe('SemVer orderings against node-semver', () => {
  const rnd = seededRandom(11);
  const pairs = Array.from({ length: 5000 }, () => [semverVersion(rnd), semverVersion(rnd)] as const);

  it.each([
    ['npm', npmOrdering, (v: string) => v],
    ['Go, with and without the v prefix', goOrdering, (v: string) => `v${v}`],
    ['SemVer 2.0 (OSV SEMVER ranges)', semver2Ordering, (v: string) => v],
  ] as const)(
    '%s agrees on 5,000 generated pairs, prereleases and build metadata included',
    (_name, ordering, spell) => {
      const wrong = pairs
        .map(([a, b]) => ({
          a,
          b,
          expected: semver.compare(a, b),
          got: Math.sign(ordering.compare(spell(a), b)),
        }))
        .filter((c) => c.expected !== c.got);
      expect(wrong.slice(0, 10)).toEqual([]);
    },
  );

  it('Go and SemVer 2.0 refuse what the specification refuses', () => {
    for (const bad of ['1.2', '01.2.3', '1.2.3-01', '1.2.3-', '1.2.3+', 'vv1.2.3', '1.2.3.4', ' 1.2.3'])
      expect([bad, semver2Ordering.isValid(bad)]).toEqual([bad, false]);
    for (const bad of ['v1.2-pre', 'v01', 'v1.2.3-01', '1.2.3.4'])
      expect([bad, goOrdering.isValid(bad)]).toEqual([bad, false]);
    expect(goOrdering.isValid('v1.2')).toBe(true);
  });

  it('npm reads the loose spellings npm accepts', () => {
    expect(npmOrdering.compare('v1.2.3', '=1.2.3')).toBe(0);
    expect(npmOrdering.compare(' 1.2.3 ', '1.2.3')).toBe(0);
    expect(npmOrdering.isValid('not-a-version')).toBe(false);
  });
});
