import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { orderingFor, VERSION_ORDERINGS } from '../../../../core/vuln/versions/index.js';

// Cases written from each ecosystem's specification and its reference implementation's own tests,
// one "a op b" per line (op: <, >, == or =).
const FILES: Record<string, string> = {
  'apk.txt': 'Alpine:v3.20',
  'rpm.txt': 'Red Hat',
  'pypi.txt': 'PyPI',
  'maven.txt': 'Maven',
  'rubygems.txt': 'RubyGems',
  'go.txt': 'Go',
  'dpkg.txt': 'Debian:12',
  'nuget.txt': 'NuGet',
  'pub.txt': 'Pub',
  'conan.txt': 'ConanCenter',
};

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
});

describe('orderingFor', () => {
  it('knows the OSV ecosystem names, with or without a release', () => {
    const expected: Record<string, string> = {
      Debian: 'dpkg',
      'Debian:12': 'dpkg',
      'Ubuntu:22.04:LTS': 'dpkg',
      'Ubuntu:Pro:18.04:LTS': 'dpkg',
      'Alpine:v3.19': 'apk',
      Wolfi: 'apk',
      'Red Hat:rhel_aus:8.4::appstream': 'rpm',
      AlmaLinux: 'rpm',
      'Rocky Linux:9': 'rpm',
      'openSUSE:Tumbleweed': 'rpm',
      npm: 'npm',
      PyPI: 'pep440',
      Go: 'go',
      Maven: 'maven',
      'Maven:https://maven.google.com': 'maven',
      RubyGems: 'rubygems',
      'crates.io': 'semver',
      Hex: 'semver',
      SwiftURL: 'semver',
      Packagist: 'composer',
      NuGet: 'nuget',
      Pub: 'pub',
      ConanCenter: 'conan',
    };
    const found = Object.fromEntries(
      Object.keys(expected).map((name) => [name, orderingFor(name)?.ecosystem]),
    );
    expect(found).toEqual(expected);
  });

  it('knows no ordering for unknown or non-string ecosystems', () => {
    expect(orderingFor('NoSuchEcosystem')).toBeUndefined();
    expect(orderingFor('')).toBeUndefined();
    expect(orderingFor(42 as unknown as string)).toBeUndefined();
  });

  it('serves each OSV name from one ordering only', () => {
    const names = VERSION_ORDERINGS.flatMap((o) => o.names);
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('hostile input', () => {
  const STRICT = new Set(['npm', 'go', 'semver', 'pep440', 'rubygems', 'composer', 'nuget', 'pub', 'conan']);
  const hostile = [
    '',
    ' ',
    '\u0000',
    'x'.repeat(100_000),
    '1.0\n2.0',
    '💥',
    '-1',
    ':',
    '~',
    '1:',
    '-r1',
    '0:-',
  ];

  it.each(VERSION_ORDERINGS.map((o) => [o.ecosystem, o] as const))(
    '%s never throws and keeps invalid versions below valid ones',
    (_name, ordering) => {
      const valid = {
        dpkg: '1.0-1',
        apk: '1.0-r0',
        rpm: '1.0-1',
        npm: '1.0.0',
        go: '1.0.0',
        pep440: '1.0',
        maven: '1.0',
        rubygems: '1.0',
        semver: '1.0.0',
        composer: '1.0.0',
        nuget: '1.0.0',
        pub: '1.0.0',
        conan: '1.0.0',
      }[ordering.ecosystem]!;
      expect(ordering.isValid(valid)).toBe(true);
      for (const bad of [...hostile, null, undefined, 7, {}] as unknown as string[]) {
        expect(() => ordering.compare(bad, valid)).not.toThrow();
        expect(() => ordering.isValid(bad)).not.toThrow();
        const sign = Math.sign(ordering.compare(bad, valid));
        expect(sign).toBe(-Math.sign(ordering.compare(valid, bad)) || 0);
        // dpkg, apk, rpm and Maven compare malformed versions too, as their tools do; the rest rank them lowest.
        if (!ordering.isValid(bad) && STRICT.has(ordering.ecosystem)) expect(sign).toBe(-1);
      }
    },
  );
});
