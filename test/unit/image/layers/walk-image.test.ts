import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import type { LayerAnalyzer } from '../../../../core/image/layers/entry.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits } from '../../../../core/image/layers/limits.js';
import { walkImage } from '../../../../core/image/layers/walk-image.js';
import { byPath, layerOf, listing, tarOf } from './tar-layer.js';

// Every case holds whether layers are read one at a time (each knowing the layers above it) or several at
// once (merged in order afterwards).
describe.each([1, 3])('walkImage: the final filesystem, %i layer(s) at a time', (layerConcurrency) => {
  const walk = (...[layers, analyzers, limits]: Parameters<typeof walkImage>) =>
    walkImage(layers, analyzers, { ...(limits ?? DEFAULT_LAYER_LIMITS), layerConcurrency } as LayerLimits);

  it('drops files deleted by a later whiteout and everything under a whited-out directory', async () => {
    const base = await tarOf([
      { name: 'etc/keep', content: 'k' },
      { name: 'etc/gone', content: 'g' },
      { name: 'opt/tool/bin/run', content: 'r' },
      { name: 'opt/tool/lib/x.so', content: 'x' },
    ]);
    const upper = await tarOf([
      { name: 'etc/.wh.gone', content: '' },
      { name: 'opt/.wh.tool', content: '' },
    ]);
    const outcome = await walk([layerOf('l1', gzipSync(base)), layerOf('l2', upper)], [listing]);
    expect(byPath(outcome.outputs)).toEqual({ 'etc/keep': 'k' });
    expect(outcome.fileCount).toBe(1);
    expect(outcome.problems).toEqual([]);
  });

  it('empties an opaque directory of lower content but keeps what its own layer puts there', async () => {
    const base = await tarOf([
      { name: 'app/old.js', content: 'old' },
      { name: 'app/sub/deep.js', content: 'deep' },
      { name: 'apple/stays', content: 'prefix is not a parent' },
    ]);
    const upper = await tarOf([
      { name: 'app/', type: 'directory' },
      { name: 'app/.wh..wh..opq', content: '' },
      { name: 'app/new.js', content: 'new' },
    ]);
    const outcome = await walk([layerOf('l1', base), layerOf('l2', gzipSync(upper))], [listing]);
    expect(byPath(outcome.outputs)).toEqual({ 'app/new.js': 'new', 'apple/stays': 'prefix is not a parent' });
  });

  it('reports the top version of a replaced file, from its layer, and a re-added file after a whiteout', async () => {
    const l1 = await tarOf([
      { name: 'a.txt', content: 'v1' },
      { name: 'b.txt', content: 'b1' },
    ]);
    const l2 = await tarOf([
      { name: 'a.txt', content: 'v2' },
      { name: '.wh.b.txt', content: '' },
    ]);
    const l3 = await tarOf([{ name: 'b.txt', content: 'b3' }]);
    const outcome = await walk([layerOf('l1', l1), layerOf('l2', l2), layerOf('l3', l3)], [listing]);
    expect(byPath(outcome.outputs)).toEqual({ 'a.txt': 'v2', 'b.txt': 'b3' });
    expect(outcome.outputs.find((o) => o.path === 'a.txt')?.layer).toBe('l2');
  });

  it('hides a lower directory tree replaced by a file, and a lower file replaced by a directory', async () => {
    const l1 = await tarOf([
      { name: 'x/inner', content: 'inner' },
      { name: 'y', content: 'file y' },
    ]);
    const l2 = await tarOf([
      { name: 'x', content: 'now a file' },
      { name: 'y/', type: 'directory' },
      { name: 'y/child', content: 'c' },
    ]);
    const outcome = await walk([layerOf('l1', l1), layerOf('l2', l2)], [listing]);
    expect(byPath(outcome.outputs)).toEqual({ x: 'now a file', 'y/child': 'c' });
  });

  it('keeps the last of two entries for one path in the same layer', async () => {
    const l1 = await tarOf([
      { name: 'dup', content: 'first' },
      { name: 'dup', content: 'second' },
    ]);
    const outcome = await walk([layerOf('l1', l1)], [listing]);
    expect(byPath(outcome.outputs)).toEqual({ dup: 'second' });
    expect(outcome.fileCount).toBe(1);
  });

  it('never reports a file a later layer deleted', async () => {
    const seen: string[] = [];
    const spy: LayerAnalyzer<null> = {
      name: 'spy',
      wants: () => true,
      analyze: (file) => {
        seen.push(`${file.layer}:${file.path}`);
        return null;
      },
    };
    const l1 = await tarOf([
      { name: 'secret.env', content: 'A=1' },
      { name: 'kept', content: '' },
    ]);
    const l2 = await tarOf([{ name: '.wh.secret.env', content: '' }]);
    const outcome = await walk([layerOf('l1', l1), layerOf('l2', l2)], [spy]);
    expect(outcome.outputs.map((o) => `${o.layer}:${o.path}`)).toEqual(['l1:kept']);
    // Read one at a time, a lower layer is read knowing what the upper ones hide: the deleted file is skipped unread.
    if (layerConcurrency === 1) expect(seen).toEqual(['l1:kept']);
  });

  it('buffers only wanted files and passes the header to wants', async () => {
    const asked: Array<[string, string, number]> = [];
    const picky: LayerAnalyzer<number> = {
      name: 'picky',
      wants: (path, header) => {
        asked.push([path, header.type, header.mode]);
        return path.endsWith('.json');
      },
      analyze: async (file) => (await file.read()).length,
    };
    const l1 = await tarOf([
      { name: 'bin/tool', content: Buffer.alloc(50_000), mode: 0o755 },
      { name: 'pkg/package.json', content: '{"name":"x"}' },
      { name: 'dir/', type: 'directory' },
    ]);
    const outcome = await walk([layerOf('l1', l1)], [picky]);
    expect(byPath(outcome.outputs)).toEqual({ 'pkg/package.json': 12 });
    expect(asked).toEqual([
      ['bin/tool', 'file', 0o755],
      ['pkg/package.json', 'file', 0o644],
    ]);
  });
});
