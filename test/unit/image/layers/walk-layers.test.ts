import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { npmAnalyzer } from '../../../../core/image/analyzers/npm.js';
import { DEFAULT_LAYER_LIMITS, walkLayers } from '../../../../core/image/layers/walk-layers.js';
import type { Analyzer } from '../../../../core/image/package.js';
import { layerOf, tarOf } from './tar-layer.js';

const pkgJson = (name: string, version = '1.0.0') => JSON.stringify({ name, version });
const names = (files: Array<{ path: string }>) => files.map((f) => f.path).sort();

describe('walkLayers (package analyzers over walkImage)', () => {
  it('collects the final version of the files package analyzers want', async () => {
    const base = await tarOf([
      { name: 'app/node_modules/a/package.json', content: pkgJson('a') },
      { name: 'lib/node_modules/d/package.json', content: pkgJson('d', '1.0.0') },
      { name: 'README', content: 'not wanted' },
    ]);
    const upper = await tarOf([
      { name: 'app/node_modules/.wh.a', content: '' },
      { name: 'lib/node_modules/d/package.json', content: pkgJson('d', '2.0.0') },
    ]);
    const result = await walkLayers([layerOf('l1', gzipSync(base)), layerOf('l2', upper)], [npmAnalyzer]);
    expect(names(result.files)).toEqual(['lib/node_modules/d/package.json']);
    expect(result.files[0]!.content.toString()).toContain('2.0.0');
    expect(result.files[0]!.layer).toBe('l2');
    expect(result.fileCount).toBe(2);
    expect(result.problems).toEqual([]);
  });

  it('keeps extra wanted files and reduces a file wanted by one reducing analyzer', async () => {
    const shrinker: Analyzer = {
      name: 'shrinker',
      wants: (path, _size, mode) => path.startsWith('bin/') && ((mode ?? 0) & 0o111) !== 0,
      reduce: (content) => (content.includes('KEEP') ? Buffer.from('kept') : undefined),
      analyze: () => [],
    };
    const l1 = await tarOf([
      { name: 'bin/a', content: 'xxKEEPxx', mode: 0o755 },
      { name: 'bin/b', content: 'nothing', mode: 0o755 },
      { name: 'bin/c', content: 'KEEP but not executable', mode: 0o644 },
      { name: 'srv/.env', content: 'A=1' },
    ]);
    const result = await walkLayers([layerOf('l1', l1)], [shrinker], (path) => path.endsWith('.env'));
    expect(result.files.map((f) => [f.path, f.content.toString(), f.reducedBy])).toEqual([
      ['bin/a', 'kept', 'shrinker'],
      ['srv/.env', 'A=1', undefined],
    ]);
  });

  it('lets the first of several reducing analyzers that recognises a file keep it', async () => {
    const reducer = (name: string, marker: string): Analyzer => ({
      name,
      wants: (path, _size, mode) => path.startsWith('bin/') && ((mode ?? 0) & 0o111) !== 0,
      reduce: (content) => (content.includes(marker) ? Buffer.from(`${name} saw it`) : undefined),
      analyze: () => [],
    });
    const l1 = await tarOf([
      { name: 'bin/go', content: 'GO-MARKER', mode: 0o755 },
      { name: 'bin/node', content: 'NODE-MARKER', mode: 0o755 },
      { name: 'bin/other', content: 'neither', mode: 0o755 },
    ]);
    const result = await walkLayers([layerOf('l1', l1)], [reducer('go', 'GO-'), reducer('node', 'NODE-')]);
    expect(result.files.map((f) => [f.path, f.content.toString(), f.reducedBy])).toEqual([
      ['bin/go', 'go saw it', 'go'],
      ['bin/node', 'node saw it', 'node'],
    ]);
  });

  it("reads a file past the walk's per-file cap only for an analyzer that raises it", async () => {
    const big: Analyzer = {
      name: 'big',
      maxFileBytes: 4096,
      wants: (path) => path === 'big',
      analyze: () => [],
    };
    const small: Analyzer = {
      ...big,
      name: 'small',
      maxFileBytes: undefined,
      wants: (path) => path === 'small',
    };
    const l1 = await tarOf([
      { name: 'big', content: Buffer.alloc(2048, 1) },
      { name: 'small', content: Buffer.alloc(2048, 1) },
    ]);
    const result = await walkLayers([layerOf('l1', l1)], [big, small], undefined, {
      ...DEFAULT_LAYER_LIMITS,
      maxFileBytes: 1024,
    });
    expect(result.files.map((f) => [f.path, f.content.length])).toEqual([['big', 2048]]);
    expect(result.problems).toEqual([
      {
        source: 'analyzer wanted-files',
        message: expect.stringMatching(/small is 2048 bytes, over the 1024-byte/),
      },
    ]);
  });

  it('reports an unreadable layer as a problem and returns no files', async () => {
    const bomb = gzipSync(await tarOf([{ name: 'z', content: Buffer.alloc(4 * 1024 * 1024) }]));
    const result = await walkLayers([layerOf('sha256:bomb', bomb)], [npmAnalyzer], undefined, {
      ...DEFAULT_LAYER_LIMITS,
      maxLayerBytes: 1024 * 1024,
    });
    expect(result.files).toEqual([]);
    expect(result.problems).toEqual([
      { source: 'image', message: expect.stringMatching(/^layer sha256:bomb: decompresses past/) },
    ]);
  });
});
