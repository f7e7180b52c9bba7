import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import semver from 'semver';
import { compareDpkg } from '../../../../core/vuln/versions/dpkg.js';
import { npmOrdering } from '../../../../core/vuln/versions/semver.js';
import { random } from '../../../../tools/bench/generate-manifests.js';

function dpkgVersion(rnd: () => number): string {
  const pick = <T>(items: readonly T[]) => items[Math.floor(rnd() * items.length)]!;
  const part = () =>
    Array.from({ length: 1 + Math.floor(rnd() * 4) }, () =>
      pick(['0', '1', '2', '9', '10', '01', 'a', 'b', 'rc', '~', '+', '.', '~rc1', 'dfsg', '+deb12u1']),
    ).join('');
  const upstream = `${Math.floor(rnd() * 12)}${part()}`.replace(/^(\d+)~/, '$1.');
  const epoch = rnd() < 0.15 ? `${Math.floor(rnd() * 3)}:` : '';
  const revision = rnd() < 0.6 ? `-${Math.floor(rnd() * 5)}${rnd() < 0.5 ? part() : ''}` : '';
  return `${epoch}${upstream}${revision}`.replace(/-$/, '');
}

describe('dpkg ordering against dpkg --compare-versions', () => {
  it('agrees on 1,500 generated pairs', () => {
    const rnd = random(7);
    const pairs = Array.from(
      { length: 1500 },
      () => [dpkgVersion(rnd), rnd() < 0.1 ? '' : dpkgVersion(rnd)] as const,
    ).map(([a, b]) => [a, b === '' ? a : b] as const);
    const dir = mkdtempSync(join(tmpdir(), 'seco-dpkg-'));
    writeFileSync(join(dir, 'pairs'), `${pairs.map(([a, b]) => `${a} ${b}`).join('\n')}\n`);
    // One shell reads the pairs from a file (values never become code) and asks dpkg about each.
    const script =
      'while read a b; do if dpkg --compare-versions "$a" lt "$b"; then echo -1; elif dpkg --compare-versions "$a" eq "$b"; then echo 0; else echo 1; fi; done < "$1"';
    const answers = execFileSync('sh', ['-c', script, 'sh', join(dir, 'pairs')], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .map(Number);
    const mismatches = pairs.filter(([a, b], i) => Math.sign(compareDpkg(a, b)) !== answers[i]).slice(0, 5);
    expect(mismatches).toEqual([]);
    expect(answers).toHaveLength(1500);
  });
});

describe('npm ordering against node-semver', () => {
  it('agrees on 5,000 generated pairs, prereleases and build metadata included', () => {
    const rnd = random(11);
    const v = () => {
      const core = [0, 1, 2].map(() => Math.floor(rnd() * 4)).join('.');
      const pre =
        rnd() < 0.4 ? `-${['alpha', 'beta', 'rc', '0', '1', 'alpha.1', 'rc.2'][Math.floor(rnd() * 7)]}` : '';
      const build = rnd() < 0.1 ? '+build.5' : '';
      return `${core}${pre}${build}`;
    };
    for (let i = 0; i < 5000; i++) {
      const a = v();
      const b = v();
      expect([a, b, Math.sign(npmOrdering.compare(a, b))]).toEqual([a, b, semver.compare(a, b)]);
    }
  });
});
