import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { cargoAuditableAnalyzer } from '../../../core/image/analyzers/cargo-auditable.js';
import { cargoLockAnalyzer } from '../../../core/image/analyzers/cargo-lock.js';
import { composerInstalledAnalyzer, composerLockAnalyzer } from '../../../core/image/analyzers/composer.js';
import { conanLockAnalyzer } from '../../../core/image/analyzers/conan-lock.js';
import { mixLockAnalyzer } from '../../../core/image/analyzers/mix-lock.js';
import { dotnetDepsAnalyzer, nugetLockAnalyzer } from '../../../core/image/analyzers/nuget.js';
import { podfileLockAnalyzer } from '../../../core/image/analyzers/podfile-lock.js';
import { pubspecLockAnalyzer } from '../../../core/image/analyzers/pubspec-lock.js';
import { swiftResolvedAnalyzer } from '../../../core/image/analyzers/swift-resolved.js';
import type { Analyzer } from '../../../core/image/package.js';
import { scanImage } from '../../../core/image/scan-image.js';
import { VulnIndex } from '../../../core/vuln/vuln-db.js';
import { singleLayerImage } from './single-layer-image.js';

const fixture = (name: string) => readFileSync(join('test/fixtures/image/ecosystems', name));
const now = new Date('2026-12-06T00:00:00Z');

async function listed(analyzer: Analyzer, path: string, content: Buffer): Promise<string[]> {
  expect(analyzer.wants(path, content.length, 0o644)).toBe(true);
  const packages = await analyzer.analyze({ path, content }, {});
  return packages.map((p) => `${p.purl} ${p.ecosystem}${p.role ? ` ${p.role}` : ''}`).sort();
}

describe('lockfiles and manifests of more ecosystems', () => {
  it('reads a Cargo.lock cargo wrote: crates.io crates, the workspace crate as the application', async () => {
    expect(await listed(cargoLockAnalyzer, 'src/app/Cargo.lock', fixture('Cargo.lock'))).toEqual([
      'pkg:cargo/itoa@1.0.1 crates.io',
      'pkg:cargo/memchr@2.5.0 crates.io',
      'pkg:cargo/shop-api@0.3.1 crates.io application',
      'pkg:cargo/smallvec@1.9.0 crates.io',
    ]);
  });

  it('leaves out git and other-registry crates of a Cargo.lock', async () => {
    const lock = Buffer.from(
      [
        'version = 3',
        '[[package]]\nname = "from-git"\nversion = "0.1.0"\nsource = "git+https://example.com/x.git#abc"',
        '[[package]]\nname = "private"\nversion = "1.0.0"\nsource = "registry+https://my-registry.example/index"',
        '[[package]]\nname = "serde"\nversion = "1.0.152"\nsource = "sparse+https://index.crates.io/"',
      ].join('\n'),
    );
    expect(await listed(cargoLockAnalyzer, 'Cargo.lock', lock)).toEqual([
      'pkg:cargo/serde@1.0.152 crates.io',
    ]);
  });

  it('reads composer.lock and installed.json Composer wrote, without dev packages', async () => {
    const production = [
      'pkg:composer/acme/http-client@v2.0.0-beta3 Packagist',
      'pkg:composer/acme/log@1.4.2 Packagist',
    ];
    expect(await listed(composerLockAnalyzer, 'var/www/composer.lock', fixture('composer.lock'))).toEqual(
      production,
    );
    const installed = 'var/www/vendor/composer/installed.json';
    expect(await listed(composerInstalledAnalyzer, installed, fixture('installed.json'))).toEqual(production);
    const composer1 = Buffer.from(
      JSON.stringify([
        { name: 'Monolog/Monolog', version: '1.27.1' },
        { name: 'php', version: '8' },
      ]),
    );
    expect(await listed(composerInstalledAnalyzer, installed, composer1)).toEqual([
      'pkg:composer/monolog/monolog@1.27.1 Packagist',
    ]);
  });

  it('reads .NET deps.json and packages.lock.json, ids once whatever their case', async () => {
    expect(await listed(dotnetDepsAnalyzer, 'app/Shop.deps.json', fixture('shop.deps.json'))).toEqual([
      'pkg:nuget/Newtonsoft.Json@13.0.1 NuGet',
      'pkg:nuget/Shop.Core@1.0.0 NuGet application',
      'pkg:nuget/Shop@1.0.0 NuGet application',
      'pkg:nuget/System.Text.Encodings.Web@4.7.1 NuGet',
    ]);
    expect(await listed(nugetLockAnalyzer, 'src/packages.lock.json', fixture('packages.lock.json'))).toEqual([
      'pkg:nuget/Newtonsoft.Json@13.0.1 NuGet',
      'pkg:nuget/Serilog@3.1.1 NuGet',
      'pkg:nuget/System.Memory@4.5.5 NuGet',
    ]);
  });

  it('reads pubspec.lock: hosted packages only, dev dependencies left out', async () => {
    expect(await listed(pubspecLockAnalyzer, 'app/pubspec.lock', fixture('pubspec.lock'))).toEqual([
      'pkg:pub/async@2.11.0 Pub',
      'pkg:pub/http@1.1.0 Pub',
    ]);
  });

  it('reads Podfile.lock pods once each, subspecs folded into their pod', async () => {
    expect(await listed(podfileLockAnalyzer, 'ios/Podfile.lock', fixture('Podfile.lock'))).toEqual([
      'pkg:cocoapods/Alamofire@5.8.1 CocoaPods',
      'pkg:cocoapods/Firebase@10.18.0 CocoaPods',
      'pkg:cocoapods/FirebaseCore@10.18.0 CocoaPods',
      'pkg:cocoapods/GoogleUtilities@7.12.0 CocoaPods',
    ]);
  });

  it('reads Package.resolved v1 and v3 as SwiftURL packages; branch pins are left out', async () => {
    expect(await listed(swiftResolvedAnalyzer, 'Package.resolved', fixture('Package.resolved'))).toEqual([
      'pkg:swift/github.com/apple/swift-nio@2.62.0 SwiftURL',
      'pkg:swift/github.com/vapor/vapor@4.89.0 SwiftURL',
    ]);
    const v1 = await swiftResolvedAnalyzer.analyze(
      { path: 'x/Package.resolved', content: fixture('Package-v1.resolved') },
      {},
    );
    expect(v1.map((p) => [p.name, p.version])).toEqual([['github.com/apple/swift-log', '1.4.2']]);
  });

  it('reads mix.lock Hex entries by their package name, not git dependencies', async () => {
    expect(await listed(mixLockAnalyzer, 'app/mix.lock', fixture('mix.lock'))).toEqual([
      'pkg:hex/castore@1.0.4 Hex',
      'pkg:hex/jason@1.4.1 Hex',
      'pkg:hex/plug@1.15.2 Hex',
    ]);
  });

  it('reads Conan 2 and Conan 1 lockfiles: host packages of ConanCenter, not tools or user/channel ones', async () => {
    expect(await listed(conanLockAnalyzer, 'conan.lock', fixture('conan.lock'))).toEqual([
      'pkg:conan/openssl@3.1.3 ConanCenter',
      'pkg:conan/zlib@1.2.13 ConanCenter',
    ]);
    expect(await listed(conanLockAnalyzer, 'build/conan.lock', fixture('conan-v1.lock'))).toEqual([
      'pkg:conan/zlib@1.2.11 ConanCenter',
    ]);
  });

  it.each([
    [cargoLockAnalyzer, 'Cargo.lock', '[[package]\nname='],
    [composerLockAnalyzer, 'composer.lock', '{"packages": ['],
    [dotnetDepsAnalyzer, 'a.deps.json', '{"targets": {}}'],
    [nugetLockAnalyzer, 'packages.lock.json', '[]'],
    [pubspecLockAnalyzer, 'pubspec.lock', 'packages: [unclosed'],
    [swiftResolvedAnalyzer, 'Package.resolved', '{"version": 2}'],
    [mixLockAnalyzer, 'mix.lock', 'System.cmd("rm", ["-rf", "/"])'],
    [conanLockAnalyzer, 'conan.lock', '{"version": "0.5"}'],
  ] as const)('names the file of a malformed %#', async (analyzer, path, text) => {
    await expect(async () =>
      analyzer.analyze({ path: `srv/${path}`, content: Buffer.from(text) }, {}),
    ).rejects.toThrow(`srv/${path}`);
  });

  it('keeps YAML alias bombs and absurd entries from costing more than they say', async () => {
    const bomb = `a: &a ["x","x","x","x","x","x","x","x","x","x"]\n${Array.from({ length: 200 }, (_, i) => `b${i}: &b${i} [*${i === 0 ? 'a' : `b${i - 1}`},*${i === 0 ? 'a' : `b${i - 1}`}]`).join('\n')}\npackages: *b199\n`;
    await expect(async () =>
      pubspecLockAnalyzer.analyze({ path: 'pubspec.lock', content: Buffer.from(bomb) }, {}),
    ).rejects.toThrow('pubspec.lock is not valid YAML');
    const weird = Buffer.from(
      JSON.stringify({ requires: ['../../etc/passwd/1.0', `${'a'.repeat(5000)}/1.0`, 'ok/1.0'] }),
    );
    expect(await listed(conanLockAnalyzer, 'conan.lock', weird)).toEqual(['pkg:conan/ok@1.0 ConanCenter']);
  });
});

describe('cargo-auditable binaries', () => {
  let dir: string;
  let audited: Buffer;
  const tree = {
    packages: [
      { name: 'shop-api', version: '0.3.1', source: 'local', dependencies: [1, 2, 3], root: true },
      { name: 'smallvec', version: '1.9.0', source: 'crates.io' },
      { name: 'cc', version: '1.0.83', source: 'crates.io', kind: 'build' },
      { name: 'private-crate', version: '2.0.0', source: 'registry' },
    ],
  };

  beforeAll(() => {
    // A real ELF executable with the section cargo-auditable adds (zlib-compressed JSON in `.dep-v0`).
    dir = mkdtempSync(join(tmpdir(), 'seco-auditable-'));
    writeFileSync(join(dir, 'main.c'), 'int main(void) { return 0; }\n');
    writeFileSync(join(dir, 'dep-v0'), deflateSync(Buffer.from(JSON.stringify(tree))));
    execFileSync('cc', ['-O2', '-o', join(dir, 'plain'), join(dir, 'main.c')]);
    execFileSync('objcopy', [
      '--add-section',
      `.dep-v0=${join(dir, 'dep-v0')}`,
      join(dir, 'plain'),
      join(dir, 'audited'),
    ]);
    audited = readFileSync(join(dir, 'audited'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps only the .dep-v0 section of an executable as it streams, and reads its crates', async () => {
    const reduced = cargoAuditableAnalyzer.reduce!(audited);
    expect(reduced?.length).toBeLessThan(1024);
    expect(cargoAuditableAnalyzer.reduce!(readFileSync(join(dir, 'plain')))).toBeUndefined();
    expect(cargoAuditableAnalyzer.wants('usr/local/bin/shop-api', audited.length, 0o755)).toBe(true);
    const crates = await cargoAuditableAnalyzer.analyze(
      { path: 'usr/local/bin/shop-api', content: reduced! },
      {},
    );
    expect(crates.map((p) => `${p.purl} ${p.ecosystem}${p.role ? ` ${p.role}` : ''}`).sort()).toEqual([
      'pkg:cargo/shop-api@0.3.1 crates.io application',
      'pkg:cargo/smallvec@1.9.0 crates.io',
    ]);
  });

  it('refuses a section that inflates past its cap or is not the format', async () => {
    const bomb = deflateSync(Buffer.alloc(80 * 1024 * 1024, 32));
    await expect(async () =>
      cargoAuditableAnalyzer.analyze({ path: 'bin/x', content: bomb }, {}),
    ).rejects.toThrow('bin/x: unreadable .dep-v0 section');
    await expect(async () =>
      cargoAuditableAnalyzer.analyze(
        { path: 'bin/y', content: deflateSync(Buffer.from('{"crates": []}')) },
        {},
      ),
    ).rejects.toThrow('bin/y: .dep-v0 section has no packages list');
  });

  it('finds an audited binary in an image and matches its crates against OSV', async () => {
    const index = new VulnIndex();
    index.add({
      id: 'RUSTSEC-2026-0001',
      modified: '2026-01-01T00:00:00Z',
      affected: [
        {
          package: { ecosystem: 'crates.io', name: 'smallvec' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '1.6.0' }, { fixed: '1.10.0' }] }],
        },
      ],
    } as never);
    const image = await singleLayerImage([{ name: 'usr/local/bin/shop-api', content: audited, mode: 0o755 }]);
    const { findings } = await scanImage(image, index, now);
    expect(findings.filter((f) => f.ruleId === 'RUSTSEC-2026-0001').map((f) => f.package?.version)).toEqual([
      '1.9.0',
    ]);
  });
});

const osv = (id: string, ecosystem: string, name: string, affected: Record<string, unknown>) =>
  ({
    id,
    modified: '2026-01-01T00:00:00Z',
    affected: [{ package: { ecosystem, name }, ...affected }],
  }) as never;

describe('matching each new ecosystem against OSV', () => {
  it('matches with each ecosystem’s own ordering: fixed, last_affected and version lists', async () => {
    const index = new VulnIndex();
    const range = (events: object[]) => ({ ranges: [{ type: 'ECOSYSTEM', events }] });
    // Composer: v2.0.0-beta3 normalizes to 2.0.0.0-beta3, before 2.0.0 (fixed) and after 2.0.0-beta2.
    index.add(
      osv(
        'GHSA-php-1',
        'Packagist',
        'acme/http-client',
        range([{ introduced: '2.0.0-beta2' }, { fixed: '2.0.0' }]),
      ),
    );
    index.add(osv('GHSA-php-2', 'Packagist', 'acme/log', range([{ introduced: '0' }, { fixed: '1.4.2' }])));
    // NuGet ids are case-insensitive; 13.0.1 is the last affected.
    index.add(
      osv(
        'GHSA-net-1',
        'NuGet',
        'newtonsoft.json',
        range([{ introduced: '0' }, { last_affected: '13.0.1' }]),
      ),
    );
    index.add(osv('GHSA-dart-1', 'Pub', 'http', { versions: ['1.0.0', '1.1.0'] }));
    index.add(osv('GHSA-hex-1', 'Hex', 'plug', range([{ introduced: '1.15.0' }, { fixed: '1.15.3' }])));
    index.add(
      osv(
        'GHSA-swift-1',
        'SwiftURL',
        'github.com/apple/swift-nio',
        range([{ introduced: '2.0.0' }, { fixed: '2.62.0' }]),
      ),
    );
    index.add(osv('OSV-conan-1', 'ConanCenter', 'zlib', range([{ introduced: '0' }, { fixed: '1.3' }])));
    index.add(osv('GHSA-pod-1', 'CocoaPods', 'Alamofire', range([{ introduced: '0' }])));
    const image = await singleLayerImage([
      { name: 'var/www/composer.lock', content: fixture('composer.lock') },
      { name: 'app/Shop.deps.json', content: fixture('shop.deps.json') },
      { name: 'app/pubspec.lock', content: fixture('pubspec.lock') },
      { name: 'srv/mix.lock', content: fixture('mix.lock') },
      { name: 'srv/Package.resolved', content: fixture('Package.resolved') },
      { name: 'opt/conan.lock', content: fixture('conan.lock') },
      { name: 'ios/Podfile.lock', content: fixture('Podfile.lock') },
    ]);
    const { findings, packages } = await scanImage(image, index, now);
    expect(
      findings
        .filter((f) => f.scanner === 'image' && f.ruleId !== 'image-user-root')
        .map((f) => `${f.ruleId} ${f.package?.name}@${f.package?.version}`)
        .sort(),
    ).toEqual([
      'GHSA-dart-1 http@1.1.0',
      'GHSA-hex-1 plug@1.15.2',
      'GHSA-net-1 Newtonsoft.Json@13.0.1',
      'GHSA-php-1 acme/http-client@v2.0.0-beta3',
      'OSV-conan-1 zlib@1.2.13',
    ]);
    // Inventoried for the SBOM though OSV has no CocoaPods advisories to match.
    expect(packages.some((p) => p.ecosystem === 'CocoaPods' && p.name === 'Alamofire')).toBe(true);
  });
});
