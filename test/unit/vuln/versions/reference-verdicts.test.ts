import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { orderingFor } from '../../../../core/vuln/versions/index.js';

// Verdicts recorded from each ecosystem's reference implementation on random version pairs
// (test/fixtures/vuln/versions/reference/regenerate.sh): "a, b, a valid?, b valid?, sign(a vs b)".
const FILES = [
  { file: 'pypi-reference.tsv', ecosystem: 'PyPI', reference: 'packaging.version.Version (PyPA)' },
  { file: 'rubygems-reference.tsv', ecosystem: 'RubyGems', reference: 'Gem::Version' },
  { file: 'maven-reference.tsv', ecosystem: 'Maven', reference: "maven-artifact's ComparableVersion" },
  { file: 'rpm-reference.tsv', ecosystem: 'Red Hat', reference: 'rpm.vercmp (rpm 4.18)' },
  {
    file: 'composer-reference.tsv',
    ecosystem: 'Packagist',
    reference: 'composer/semver normalize + version_compare',
  },
  { file: 'hex-reference.tsv', ecosystem: 'Hex', reference: "Elixir's Version.compare" },
  { file: 'cargo-reference.tsv', ecosystem: 'crates.io', reference: 'the semver crate (Cargo)' },
];

interface Verdict {
  a: string;
  b: string;
  validA: boolean;
  validB: boolean;
  sign: number | undefined;
}

function verdicts(file: string): Verdict[] {
  return readFileSync(`test/fixtures/vuln/versions/${file}`, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const [a, b, validA, validB, sign] = line.split('\t');
      return {
        a: a!,
        b: b!,
        validA: validA === '1',
        validB: validB === '1',
        sign: sign === 'x' ? undefined : Number(sign),
      };
    });
}

describe.each(FILES)('$ecosystem ordering against $reference', ({ file, ecosystem }) => {
  const ordering = orderingFor(ecosystem)!;
  const cases = verdicts(file);

  it('compares every recorded pair as the reference did, both ways round', () => {
    const wrong = cases
      .filter((c) => c.sign !== undefined)
      .filter(
        (c) =>
          Math.sign(ordering.compare(c.a, c.b)) !== c.sign ||
          Math.sign(ordering.compare(c.b, c.a)) !== -c.sign! + 0,
      )
      .map(
        (c) =>
          `${JSON.stringify(c.a)} vs ${JSON.stringify(c.b)}: reference ${c.sign}, got ${ordering.compare(c.a, c.b)}`,
      );
    expect(wrong.slice(0, 15)).toEqual([]);
    expect(cases.filter((c) => c.sign !== undefined).length).toBeGreaterThan(3000);
  });

  it('accepts exactly the versions the reference accepts', () => {
    const wrong = cases
      .flatMap(
        (c) =>
          [
            [c.a, c.validA],
            [c.b, c.validB],
          ] as const,
      )
      .filter(([v, valid]) => ordering.isValid(v) !== valid)
      .map(([v, valid]) => `${JSON.stringify(v)}: reference ${valid ? 'valid' : 'invalid'}`);
    expect([...new Set(wrong)].slice(0, 15)).toEqual([]);
  });
});
