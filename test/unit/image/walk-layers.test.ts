import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import { pack } from 'tar-stream';
import { npmAnalyzer } from '../../../core/image/analyzers/npm.js';
import { imagePath } from '../../../core/image/layers/safe-path.js';
import { DEFAULT_LAYER_LIMITS, verifyingDigest, walkLayers } from '../../../core/image/layers/walk-layers.js';

type Entry = { name: string; content?: string; type?: 'file' | 'symlink' | 'directory'; linkname?: string };

async function tarOf(entries: Entry[]): Promise<Buffer> {
  const p = pack();
  for (const e of entries) {
    if (e.type === 'symlink') p.entry({ name: e.name, type: 'symlink', linkname: e.linkname });
    else if (e.type === 'directory') p.entry({ name: e.name, type: 'directory' });
    else p.entry({ name: e.name }, e.content ?? '');
  }
  p.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of p as unknown as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

const layer = (digest: string, bytes: Buffer) => ({ digest, open: async () => Readable.from([bytes]) });
const pkgJson = (name: string, version = '1.0.0') => JSON.stringify({ name, version });
const names = (files: Array<{ path: string }>) => files.map((f) => f.path).sort();

describe('walkLayers', () => {
  it('applies whiteouts and opaque directories of later layers, and replacements', async () => {
    const base = await tarOf([
      { name: 'app/node_modules/a/package.json', content: pkgJson('a') },
      { name: 'app/node_modules/b/package.json', content: pkgJson('b') },
      { name: 'lib/node_modules/c/package.json', content: pkgJson('c') },
      { name: 'lib/node_modules/d/package.json', content: pkgJson('d', '1.0.0') },
    ]);
    const upper = await tarOf([
      { name: 'app/node_modules/.wh.a', content: '' },
      { name: 'lib/node_modules/.wh..wh..opq', content: '' },
      { name: 'lib/node_modules/d/package.json', content: pkgJson('d', '2.0.0') },
    ]);
    const result = await walkLayers([layer('l1', gzipSync(base)), layer('l2', upper)], [npmAnalyzer]);
    expect(names(result.files)).toEqual([
      'app/node_modules/b/package.json',
      'lib/node_modules/d/package.json',
    ]);
    expect(result.files.find((f) => f.path.includes('/d/'))!.content.toString()).toContain('2.0.0');
    expect(result.problems).toEqual([]);
  });

  it('skips entries that climb out of the image root and keeps the rest', async () => {
    const hostile = await tarOf([
      { name: '../../etc/node_modules/x/package.json', content: pkgJson('x') },
      { name: '/abs/node_modules/y/package.json', content: pkgJson('y') },
      { name: 'ok/node_modules/z/package.json', content: pkgJson('z') },
      { name: 'ok/node_modules/link', type: 'symlink', linkname: '/etc/shadow' },
    ]);
    const result = await walkLayers([layer('evil', hostile)], [npmAnalyzer]);
    expect(names(result.files)).toEqual([
      'abs/node_modules/y/package.json',
      'ok/node_modules/z/package.json',
    ]);
    expect(result.problems).toEqual([
      { source: 'layer evil', message: expect.stringContaining('escaping the image root') },
    ]);
  });

  it('stops a decompression bomb at the layer limit with a clear error, and goes on with other layers', async () => {
    const bomb = gzipSync(await tarOf([{ name: 'big.bin', content: '0'.repeat(4 * 1024 * 1024) }]));
    const fine = await tarOf([{ name: 'n/node_modules/q/package.json', content: pkgJson('q') }]);
    const result = await walkLayers([layer('bomb', bomb), layer('fine', fine)], [npmAnalyzer], undefined, {
      ...DEFAULT_LAYER_LIMITS,
      maxLayerBytes: 1024 * 1024,
    });
    expect(bomb.length).toBeLessThan(64 * 1024);
    expect(result.problems).toEqual([
      { source: 'layer bomb', message: expect.stringMatching(/expands past 1048576 bytes/) },
    ]);
    expect(names(result.files)).toEqual(['n/node_modules/q/package.json']);
  });

  it('names the layer of a truncated gzip stream', async () => {
    const whole = gzipSync(await tarOf([{ name: 'a/node_modules/a/package.json', content: pkgJson('a') }]));
    const result = await walkLayers([layer('cut', whole.subarray(0, whole.length - 20))], [npmAnalyzer]);
    expect(result.problems[0]).toMatchObject({ source: 'layer cut' });
  });

  it('refuses a blob whose bytes do not match its digest', async () => {
    const stream = verifyingDigest(`sha256:${'0'.repeat(64)}`, Readable.from([Buffer.from('not it')]));
    await expect(async () => {
      for await (const _ of stream) {
        // drain
      }
    }).rejects.toThrow(/does not match its digest/);
  });
});

describe('imagePath', () => {
  it('normalises paths and refuses escapes', () => {
    expect(imagePath('./usr/bin/../lib/x')).toBe('usr/lib/x');
    expect(imagePath('/etc//passwd')).toBe('etc/passwd');
    expect(imagePath('./')).toBe('');
    expect(imagePath('../etc/passwd')).toBeUndefined();
    expect(imagePath('a/../../b')).toBeUndefined();
  });
});
