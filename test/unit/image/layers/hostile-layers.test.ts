import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from '@jest/globals';
import type { LayerAnalyzer } from '../../../../core/image/layers/entry.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits } from '../../../../core/image/layers/limits.js';
import { walkImage } from '../../../../core/image/layers/walk-image.js';
import { verifyingDigest } from '../../../../core/image/source/verify-digest.js';
import { byPath, layerOf, listing, tarOf } from './tar-layer.js';

const limits = (over: Partial<LayerLimits>): LayerLimits => ({ ...DEFAULT_LAYER_LIMITS, ...over });

describe('walkImage on hostile layers', () => {
  it('normalises absolute and dot-dot paths, and skips (naming them) entries that climb out', async () => {
    const evil = await tarOf([
      { name: '../../etc/cron.d/evil', content: 'x' },
      { name: 'a/../../outside', content: 'x' },
      { name: '/abs/file', content: 'abs' },
      { name: './usr/./lib/../bin/sh', content: 'sh' },
    ]);
    const outcome = await walkImage([layerOf('sha256:evil', evil)], [listing]);
    expect(byPath(outcome.outputs)).toEqual({ 'abs/file': 'abs', 'usr/bin/sh': 'sh' });
    expect(outcome.problems).toEqual([
      { source: 'layer sha256:evil', message: expect.stringContaining('"../../etc/cron.d/evil"') },
      { source: 'layer sha256:evil', message: expect.stringContaining('"a/../../outside"') },
    ]);
  });

  it('never follows symlinks: reading one is an analyzer problem, not the target file', async () => {
    const reader: LayerAnalyzer<string> = {
      name: 'reader',
      wants: (path) => path === 'etc/shadow-link',
      analyze: async (file) => (await file.read()).toString(),
    };
    const l1 = await tarOf([{ name: 'etc/shadow-link', type: 'symlink', linkname: '/etc/shadow' }]);
    const outcome = await walkImage([layerOf('l1', l1)], [reader, listing]);
    expect(byPath(outcome.outputs)).toEqual({ 'etc/shadow-link': 'symlink→/etc/shadow' });
    expect(outcome.problems).toEqual([
      { source: 'analyzer reader', message: expect.stringContaining('links are never followed') },
    ]);
  });

  it('gives a hard link the content of its target in the same layer, and refuses one pointing outside', async () => {
    const l1 = await tarOf([
      { name: 'usr/bin/real', content: 'binary' },
      { name: 'usr/bin/alias', type: 'link', linkname: 'usr/bin/real' },
      { name: 'usr/bin/escape', type: 'link', linkname: '../../etc/passwd' },
    ]);
    const content: LayerAnalyzer<string> = {
      name: 'content',
      wants: () => true,
      analyze: async (file) => (await file.read()).toString(),
    };
    const outcome = await walkImage([layerOf('l1', l1)], [content]);
    expect(byPath(outcome.outputs)).toEqual({ 'usr/bin/alias': 'binary', 'usr/bin/real': 'binary' });
    expect(outcome.problems).toEqual([
      { source: 'analyzer content', message: expect.stringContaining('hard link usr/bin/escape') },
    ]);
  });

  it('skips a file over the per-file cap without buffering it, and goes on', async () => {
    const l1 = await tarOf([
      { name: 'huge.json', content: Buffer.alloc(300_000, 0x61) },
      { name: 'small.json', content: '{}' },
    ]);
    const outcome = await walkImage(
      [layerOf('l1', gzipSync(l1))],
      [listing],
      limits({ maxFileBytes: 100_000 }),
    );
    expect(byPath(outcome.outputs)).toEqual({ 'small.json': '{}' });
    expect(outcome.problems).toEqual([
      {
        source: 'analyzer listing',
        message: expect.stringMatching(/huge\.json is 300000 bytes, over the 100000-byte file limit/),
      },
    ]);
  });

  it('stops a small gzip that expands past the layer cap, naming the layer', async () => {
    const bomb = gzipSync(await tarOf([{ name: 'zeros', content: Buffer.alloc(8 * 1024 * 1024) }]));
    expect(bomb.length).toBeLessThan(64 * 1024);
    await expect(
      walkImage([layerOf('sha256:bomb', bomb)], [listing], limits({ maxLayerBytes: 1024 * 1024 })),
    ).rejects.toThrow(/^layer sha256:bomb: decompresses past the 1048576-byte layer limit/);
  });

  it('stops an image whose layers together expand past the image cap', async () => {
    const layer = gzipSync(await tarOf([{ name: 'f', content: Buffer.alloc(600_000) }]));
    const layers = [layerOf('sha256:one', layer), layerOf('sha256:two', layer)];
    await expect(
      walkImage(layers, [listing], limits({ maxImageBytes: 1_000_000, layerConcurrency: 1 })),
    ).rejects.toThrow(/^layer sha256:one: the image decompresses past the 1000000-byte image limit/);
    // Read at once, either layer may be the one that crosses the shared cap.
    await expect(
      walkImage(layers, [listing], limits({ maxImageBytes: 1_000_000, layerConcurrency: 2 })),
    ).rejects.toThrow(/^layer sha256:(one|two): the image decompresses past the 1000000-byte image limit/);
  });

  it('names the layer of a truncated gzip stream', async () => {
    const whole = gzipSync(await tarOf([{ name: 'a', content: Buffer.alloc(20_000, 0x62) }]));
    await expect(
      walkImage([layerOf('sha256:cut', whole.subarray(0, whole.length - 40))], [listing]),
    ).rejects.toThrow(/^layer sha256:cut: truncated compressed stream/);
  });

  it('names the layer of corrupt gzip data', async () => {
    const whole = gzipSync(await tarOf([{ name: 'a', content: 'hello world '.repeat(100) }]));
    const corrupt = Buffer.from(whole);
    for (let i = 20; i < 60; i++) corrupt[i] = 0xff;
    await expect(walkImage([layerOf('sha256:bad', corrupt)], [listing])).rejects.toThrow(
      /^layer sha256:bad: corrupt compressed data/,
    );
  });

  it('names the layer of a tar cut off in the middle of an entry', async () => {
    const whole = await tarOf([{ name: 'a', content: Buffer.alloc(5000, 0x63) }]);
    await expect(walkImage([layerOf('sha256:short', whole.subarray(0, 2048))], [listing])).rejects.toThrow(
      /^layer sha256:short: truncated tar stream/,
    );
  });

  it('names the layer of a malformed tar header', async () => {
    const whole = await tarOf([
      { name: 'a', content: 'x' },
      { name: 'b', content: 'y' },
    ]);
    const broken = Buffer.from(whole);
    broken.fill(0x7a, 1024 + 148, 1024 + 156); // the second header's checksum
    await expect(walkImage([layerOf('sha256:hdr', broken)], [listing])).rejects.toThrow(
      /^layer sha256:hdr: malformed tar header/,
    );
  });

  it('refuses a layer with more entries than allowed', async () => {
    const many = await tarOf(Array.from({ length: 30 }, (_, i) => ({ name: `f${i}`, content: '' })));
    await expect(
      walkImage([layerOf('sha256:many', many)], [listing], limits({ maxEntries: 10 })),
    ).rejects.toThrow(/^layer sha256:many: more than 10 tar entries/);
  });

  it('refuses a layer whose blob does not match its digest, naming the blob', async () => {
    const bytes = gzipSync(await tarOf([{ name: 'a', content: 'x' }]));
    const wrong = `sha256:${createHash('sha256').update('something else').digest('hex')}`;
    const layer = { digest: wrong, open: async () => verifyingDigest(wrong, Readable.from([bytes])) };
    await expect(walkImage([layer], [listing])).rejects.toThrow(
      new RegExp(`^layer ${wrong}: blob ${wrong} does not match its digest`),
    );
  });

  it('refuses compression formats it cannot read, by name', async () => {
    const bzip = Buffer.concat([Buffer.from('BZh91AY&SY'), Buffer.alloc(100)]);
    await expect(walkImage([layerOf('sha256:bz', bzip)], [listing])).rejects.toThrow(
      /bzip2-compressed layers are not supported/,
    );
  });

  it('reports an analyzer that throws as a problem and keeps the other analyzers results', async () => {
    const broken: LayerAnalyzer<string> = {
      name: 'broken',
      wants: () => true,
      analyze: () => {
        throw new Error('boom');
      },
    };
    const outcome = await walkImage(
      [layerOf('l1', await tarOf([{ name: 'f', content: 'ok' }]))],
      [broken, listing],
    );
    expect(byPath(outcome.outputs)).toEqual({ f: 'ok' });
    expect(outcome.problems).toEqual([{ source: 'analyzer broken', message: 'f in layer l1: boom' }]);
  });

  it('walks an empty layer', async () => {
    const outcome = await walkImage([layerOf('l1', Buffer.alloc(1024))], [listing]);
    expect(outcome).toEqual({ outputs: [], fileCount: 0, problems: [] });
  });
});

describe('walkImage on zstd layers', () => {
  it('reads zstd with Node’s own decoder, or says this Node has none', async () => {
    const tar = await tarOf([{ name: 'z.txt', content: 'zstd content' }]);
    const zlib = (await import('node:zlib')) as unknown as { zstdCompressSync?: (b: Buffer) => Buffer };
    if (zlib.zstdCompressSync) {
      const outcome = await walkImage([layerOf('sha256:z', zlib.zstdCompressSync(tar))], [listing]);
      expect(byPath(outcome.outputs)).toEqual({ 'z.txt': 'zstd content' });
    } else {
      // A real zstd frame header (magic, then a frame header descriptor) is enough to be recognised.
      const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00, 0x01, 0x00, 0x00]);
      await expect(walkImage([layerOf('sha256:z', frame)], [listing])).rejects.toThrow(
        /^layer sha256:z: zstd-compressed layer: this Node.js \(v[\d.]+\) has no zstd decoder/,
      );
    }
  });
});
