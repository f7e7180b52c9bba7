import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { orderingFor } from '../../../../core/vuln/versions/index.js';

const FILES: Record<string, string> = {
  'apk.txt': 'Alpine:v3.20',
  'rpm.txt': 'Red Hat',
  'pypi.txt': 'PyPI',
  'maven.txt': 'Maven',
  'rubygems.txt': 'RubyGems',
  'go.txt': 'Go',
  'dpkg.txt': 'Debian:12',
};

// Cases written from each ecosystem's specification and its reference implementation's tests.
const cases = Object.entries(FILES).flatMap(([file, ecosystem]) =>
  readFileSync(`test/fixtures/vuln/versions/${file}`, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '' && !line.startsWith('#'))
    .map((line) => {
      const [a, op, b] = line.trim().split(/\s+/);
      return { ecosystem, a: a!, op: op!, b: b! };
    }),
);

describe('version orderings from the specifications', () => {
  it.each(cases.map((c) => [`${c.ecosystem}: ${c.a} ${c.op} ${c.b}`, c] as const))('%s', (_name, c) => {
    const ordering = orderingFor(c.ecosystem)!;
    const expected = c.op === '<' ? -1 : c.op === '>' ? 1 : 0;
    expect(Math.sign(ordering.compare(c.a, c.b))).toBe(expected);
    expect(Math.sign(ordering.compare(c.b, c.a))).toBe(-expected || 0);
  });

  it('knows the OSV ecosystem names, with or without a release', () => {
    for (const name of [
      'Debian',
      'Debian:12',
      'Ubuntu:22.04:LTS',
      'Alpine:v3.19',
      'npm',
      'PyPI',
      'Go',
      'Maven',
      'RubyGems',
      'Red Hat',
      'Rocky Linux:9',
    ]) {
      expect([name, orderingFor(name) !== undefined]).toEqual([name, true]);
    }
    expect(orderingFor('NoSuchEcosystem')).toBeUndefined();
  });
});
