import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { npmLockAnalyzer } from '../../../core/image/analyzers/npm-lock.js';
import { pipfileLockAnalyzer } from '../../../core/image/analyzers/pipfile-lock.js';
import { pnpmLockAnalyzer } from '../../../core/image/analyzers/pnpm-lock.js';
import { poetryLockAnalyzer } from '../../../core/image/analyzers/poetry-lock.js';
import { requirementsAnalyzer } from '../../../core/image/analyzers/requirements.js';
import { yarnLockAnalyzer } from '../../../core/image/analyzers/yarn-lock.js';
import type { Analyzer } from '../../../core/image/package.js';
import { inventoryImage } from '../../../core/image/scan-image.js';
import { layerOf, tarOf } from './layers/tar-layer.js';

const fixture = (name: string) => readFileSync(join('test/fixtures/image/lockfiles', name));

async function listed(analyzer: Analyzer, path: string, fixtureName: string): Promise<string[]> {
  expect(analyzer.wants(path, 1000)).toBe(true);
  const packages = await analyzer.analyze({ path, content: fixture(fixtureName) }, {});
  return packages.map((p) => `${p.purl} ${p.ecosystem} ${p.path}`).sort();
}

// What npm, yarn and pnpm locked for package.json: production packages, alias resolved, dev left out.
const NPM_PRODUCTION = [
  'pkg:npm/%40types/ms@0.7.31',
  'pkg:npm/debug@2.6.9',
  'pkg:npm/lodash@4.17.15',
  'pkg:npm/lodash@4.17.20',
  'pkg:npm/ms@2.0.0',
];
const withPath = (purls: string[], path: string, ecosystem = 'npm') =>
  purls.map((p) => `${p} ${ecosystem} ${path}`);

describe('npm lockfiles', () => {
  it.each(['lock-v1.json', 'lock-v2.json', 'lock-v3.json'])(
    'reads package-lock.json %s as npm wrote it, aliases resolved and dev packages left out',
    async (name) => {
      expect(await listed(npmLockAnalyzer, 'app/package-lock.json', name)).toEqual(
        withPath(NPM_PRODUCTION, 'app/package-lock.json'),
      );
    },
  );

  it('reads yarn.lock v1 as yarn 1.22 wrote it (yarn does not mark dev packages)', async () => {
    expect(await listed(yarnLockAnalyzer, 'app/yarn.lock', 'yarn-v1.lock')).toEqual(
      withPath([...NPM_PRODUCTION, 'pkg:npm/left-pad@1.3.0'].sort(), 'app/yarn.lock'),
    );
  });

  it('reads pnpm-lock.yaml 6.0 (dev marked) and 9.0 (dev no longer marked)', async () => {
    expect(await listed(pnpmLockAnalyzer, 'app/pnpm-lock.yaml', 'pnpm-lock-v6.yaml')).toEqual(
      withPath(NPM_PRODUCTION, 'app/pnpm-lock.yaml'),
    );
    expect(await listed(pnpmLockAnalyzer, 'app/pnpm-lock.yaml', 'pnpm-lock-v9.yaml')).toEqual(
      withPath([...NPM_PRODUCTION, 'pkg:npm/left-pad@1.3.0'].sort(), 'app/pnpm-lock.yaml'),
    );
  });

  it('does not read lockfiles inside node_modules (installed packages are read from package.json)', () => {
    expect(npmLockAnalyzer.wants('app/node_modules/x/package-lock.json', 100)).toBe(false);
    expect(npmLockAnalyzer.wants('app/node_modules/.package-lock.json', 100)).toBe(false);
  });

  it('refuses malformed lockfiles with errors naming the file and where', async () => {
    const bad = (a: Analyzer, path: string, text: string) =>
      Promise.resolve().then(() => a.analyze({ path, content: Buffer.from(text) }, {}));
    await expect(bad(npmLockAnalyzer, 'a/package-lock.json', '{"packages": {')).rejects.toThrow(
      /^a\/package-lock.json is not valid JSON/,
    );
    await expect(bad(npmLockAnalyzer, 'a/package-lock.json', '[1]')).rejects.toThrow(
      /not a package-lock object/,
    );
    await expect(bad(yarnLockAnalyzer, 'a/yarn.lock', 'a@1:\n  version "1"\n b: c: d\n')).rejects.toThrow(
      /^a\/yarn.lock is not a yarn lockfile: .*\(3:3\)$/,
    );
    await expect(bad(pnpmLockAnalyzer, 'a/pnpm-lock.yaml', 'packages: [\n')).rejects.toThrow(
      /^a\/pnpm-lock.yaml is not valid YAML/,
    );
  });

  it('walks a hostile v1 nesting depth without recursion', async () => {
    let deps = '{}';
    for (let i = 0; i < 5000; i++) deps = `{"d${i}": {"version": "1.0.${i}", "dependencies": ${deps}}}`;
    const text = `{"lockfileVersion": 1, "dependencies": ${deps}}`;
    // JSON.parse itself may give up on such depth: then it is a clear error, not a crash.
    const outcome = await Promise.resolve()
      .then(() => npmLockAnalyzer.analyze({ path: 'a/package-lock.json', content: Buffer.from(text) }, {}))
      .then(
        (p) => p.length,
        (e: Error) => e.message,
      );
    expect([5000, expect.stringMatching(/not valid JSON/)]).toContainEqual(outcome);
  });
});

describe('Python lockfiles and pinned requirements', () => {
  it('reads poetry.lock (lock-version 2.0) with PEP 503 purls', async () => {
    expect(await listed(poetryLockAnalyzer, 'srv/poetry.lock', 'poetry.lock')).toEqual(
      withPath(
        ['pkg:pypi/certifi@2024.2.2', 'pkg:pypi/jinja2@2.11.2', 'pkg:pypi/markupsafe@2.1.5'],
        'srv/poetry.lock',
        'PyPI',
      ),
    );
  });

  it('leaves out category = "dev" and git sources of a Poetry 1.1 lock', async () => {
    expect(await listed(poetryLockAnalyzer, 'srv/poetry.lock', 'poetry-1.1.lock')).toEqual(
      withPath(['pkg:pypi/requests@2.25.0'], 'srv/poetry.lock', 'PyPI'),
    );
  });

  it('reads the default section of Pipfile.lock, not develop, not git or path entries', async () => {
    expect(await listed(pipfileLockAnalyzer, 'srv/Pipfile.lock', 'Pipfile.lock')).toEqual(
      withPath(['pkg:pypi/django@3.2.0', 'pkg:pypi/urllib3@1.26.4'], 'srv/Pipfile.lock', 'PyPI'),
    );
  });

  it('reads exact pins from requirements.txt, and nothing else', async () => {
    expect(await listed(requirementsAnalyzer, 'srv/requirements.txt', 'requirements.txt')).toEqual(
      withPath(
        [
          'pkg:pypi/cryptography@3.3.1',
          'pkg:pypi/flask@1.1.2',
          'pkg:pypi/gunicorn@20.0.4',
          'pkg:pypi/pyyaml@5.3.1',
          'pkg:pypi/requests@2.25.0',
        ],
        'srv/requirements.txt',
        'PyPI',
      ),
    );
    expect(requirementsAnalyzer.wants('srv/requirements/prod.txt', 10)).toBe(true);
    expect(requirementsAnalyzer.wants('srv/notes.txt', 10)).toBe(false);
  });

  it('refuses malformed TOML and JSON naming the file', async () => {
    await expect(
      Promise.resolve().then(() =>
        poetryLockAnalyzer.analyze(
          { path: 'p/poetry.lock', content: Buffer.from('[[package]\nname = 1') },
          {},
        ),
      ),
    ).rejects.toThrow(/^p\/poetry.lock is not valid TOML/);
    await expect(
      Promise.resolve().then(() =>
        pipfileLockAnalyzer.analyze({ path: 'p/Pipfile.lock', content: Buffer.from('{') }, {}),
      ),
    ).rejects.toThrow(/^p\/Pipfile.lock is not valid JSON/);
  });
});

describe('lockfiles in an image', () => {
  const sha = (b: Buffer) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
  const imageOf = async (entries: Parameters<typeof tarOf>[0]) => {
    const layer = await tarOf(entries);
    return {
      reference: 'x',
      digest: sha(Buffer.from('m')),
      config: {},
      configJson: Buffer.from('{}'),
      layers: [
        { mediaType: 'application/vnd.oci.image.layer.v1.tar', size: 0, ...layerOf(sha(layer), layer) },
      ],
    };
  };

  it('counts a package installed in node_modules once, as installed; lockfile-only ones still get purls', async () => {
    const inventory = await inventoryImage(
      await imageOf([
        { name: 'app/package-lock.json', content: fixture('lock-v3.json') },
        { name: 'app/node_modules/lodash/package.json', content: '{"name":"lodash","version":"4.17.20"}' },
      ]),
    );
    expect(inventory.packages.map((p) => `${p.purl} ${p.path}`).sort()).toEqual([
      'pkg:npm/%40types/ms@0.7.31 app/package-lock.json',
      'pkg:npm/debug@2.6.9 app/package-lock.json',
      'pkg:npm/lodash@4.17.15 app/package-lock.json',
      'pkg:npm/lodash@4.17.20 app/node_modules/lodash/package.json',
      'pkg:npm/ms@2.0.0 app/package-lock.json',
    ]);
  });

  it('reports a malformed lockfile as a problem and inventories the rest', async () => {
    const inventory = await inventoryImage(
      await imageOf([
        { name: 'app/package-lock.json', content: '{"lockfileVersion": 3, "packages": ' },
        { name: 'srv/requirements.txt', content: 'flask==1.1.2\n' },
      ]),
    );
    expect(inventory.packages.map((p) => p.purl)).toEqual(['pkg:pypi/flask@1.1.2']);
    expect(inventory.problems).toEqual([
      {
        source: 'analyzer npm-lock',
        message: expect.stringMatching(/^app\/package-lock.json is not valid JSON/),
      },
    ]);
  });
});
