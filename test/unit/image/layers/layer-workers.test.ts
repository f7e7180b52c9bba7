import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from '@jest/globals';
import { ANALYZERS } from '../../../../core/image/analyzers/index.js';
import type { LayerInput } from '../../../../core/image/layers/entry.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits } from '../../../../core/image/layers/limits.js';
import { type WalkResult, walkLayers } from '../../../../core/image/layers/walk-layers.js';
import { inventoryImage } from '../../../../core/image/scan-image.js';
import { scanExtraWanted } from '../../../../core/image/scan-wanted.js';
import type { ResolvedImage } from '../../../../core/image/source/image-source.js';
import { layerOf, tarOf } from './tar-layer.js';

// The worker script as built (`npm run build`, which `npm test` runs first): jest runs the TypeScript
// sources, which a worker thread cannot load.
const WORKER = new URL('../../../../dist/core/image/scan-layer-worker.js', import.meta.url);
const SEQUENTIAL: LayerLimits = { ...DEFAULT_LAYER_LIMITS, layerConcurrency: 1 };
const IN_WORKERS: LayerLimits = { ...DEFAULT_LAYER_LIMITS, layerConcurrency: 3, layerWorkers: 2 };

const pkg = (name: string, version: string) => JSON.stringify({ name, version });
const dpkgStatus = (version: string) =>
  `Package: bash\nStatus: install ok installed\nVersion: ${version}\nArchitecture: amd64\n\n`;

/** Four layers with everything that makes merging order matter: whiteouts, opaque dirs, replacements. */
async function layerBlobs(): Promise<Buffer[]> {
  const base = await tarOf([
    { name: 'etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
    { name: 'var/lib/dpkg/status', content: dpkgStatus('5.2.15-2') },
    { name: 'app/node_modules/left-pad/package.json', content: pkg('left-pad', '1.0.0') },
    { name: 'app/node_modules/gone/package.json', content: pkg('gone', '1.0.0') },
    { name: 'app/node_modules/old/package.json', content: pkg('old', '1.0.0') },
    { name: 'srv/.env', content: 'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n' },
    { name: 'usr/bin/tool', content: '#!/bin/sh\n', mode: 0o755 },
    { name: 'usr/bin/deleted-tool', content: '#!/bin/sh\n', mode: 0o755 },
  ]);
  const second = await tarOf([
    { name: 'app/node_modules/.wh.gone', content: '' },
    { name: 'var/lib/dpkg/status', content: dpkgStatus('5.2.15-2+b1') },
    { name: 'usr/bin/.wh.deleted-tool', content: '' },
  ]);
  const third = await tarOf([
    { name: 'app/node_modules/', type: 'directory' },
    { name: 'app/node_modules/.wh..wh..opq', content: '' },
    { name: 'app/node_modules/fresh/package.json', content: pkg('fresh', '2.0.0') },
    { name: 'srv/.wh..env', content: '' },
  ]);
  const top = await tarOf([
    { name: 'app/node_modules/fresh/package.json', content: pkg('fresh', '2.1.0') },
    { name: 'usr/bin/added', content: '#!/bin/sh\n', mode: 0o750 },
    { name: 'srv/.env', content: 'GITHUB_TOKEN=ghp_0123456789abcdefghijklmnopqrstuvwxyzAB\n' },
  ]);
  return [gzipSync(base), second, gzipSync(third), top];
}

const digestOf = (bytes: Buffer) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The same blobs as local files a worker reads itself (`file`), with real digests. */
function fileLayers(dir: string, blobs: Buffer[]): LayerInput[] {
  return blobs.map((bytes, i) => {
    const path = join(dir, `layer-${i}`);
    writeFileSync(path, bytes);
    const digest = digestOf(bytes);
    return {
      ...layerOf(digest, bytes),
      file: { path, start: 0, size: bytes.length, expectedSize: bytes.length },
    };
  });
}

const comparable = (walk: WalkResult) => ({
  files: walk.files.map((f) => ({ ...f, content: f.content.toString('utf8') })),
  fileCount: walk.fileCount,
  executables: walk.executables,
  problems: walk.problems,
});

describe('layers read in worker threads', () => {
  const dir = mkdtempSync(join(tmpdir(), 'seco-layer-workers-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has the built worker script to run', () => {
    expect(existsSync(WORKER)).toBe(true);
  });

  it.each([
    ['streamed from the main thread', false],
    ['read from their files by the workers', true],
  ])('give the same files as a sequential walk with whiteouts and opaque dirs (%s)', async (_, fromFiles) => {
    const blobs = await layerBlobs();
    const layers = fromFiles ? fileLayers(dir, blobs) : blobs.map((b, i) => layerOf(`l${i}`, b));
    const sequential = await walkLayers(layers, ANALYZERS, scanExtraWanted, SEQUENTIAL, WORKER);
    const parallel = await walkLayers(layers, ANALYZERS, scanExtraWanted, IN_WORKERS, WORKER);
    expect(sequential.layerWorkers).toBe(0);
    expect(parallel.layerWorkers).toBe(2);
    expect(comparable(parallel)).toEqual(comparable(sequential));
    expect(parallel.files.map((f) => f.path).sort()).toEqual([
      'app/node_modules/fresh/package.json',
      'etc/os-release',
      'srv/.env',
      'var/lib/dpkg/status',
    ]);
    expect(parallel.executables.paths).toEqual(['/usr/bin/added', '/usr/bin/tool']);
  });

  it('give the same inventory as a sequential scan', async () => {
    const blobs = await layerBlobs();
    const image: ResolvedImage = {
      reference: 'test/workers:1',
      digest: digestOf(Buffer.from('workers')),
      config: { config: { User: 'app' } },
      configJson: Buffer.from('{}'),
      layers: fileLayers(dir, blobs).map((l) => ({
        ...l,
        mediaType: 'application/vnd.oci.image.layer.v1.tar',
        size: l.file!.size,
      })),
    };
    const sequential = await inventoryImage(image, SEQUENTIAL, WORKER);
    const parallel = await inventoryImage(image, IN_WORKERS, WORKER);
    expect(parallel).toEqual(sequential);
    expect(parallel.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual([
      'bash@5.2.15-2+b1',
      'fresh@2.1.0',
    ]);
    expect(parallel.secrets.map((s) => [s.path, s.layer])).toEqual([['srv/.env', image.layers[3]!.digest]]);
  });

  it('fail the walk naming the layer when a blob a worker reads does not match its digest', async () => {
    const blobs = await layerBlobs();
    const layers = fileLayers(dir, blobs);
    // An uncompressed layer with one byte of a file changed: the tar still walks, the digest fails.
    const tampered = Buffer.from(blobs[1]!);
    tampered[tampered.indexOf('+b1')] = 0x2d;
    writeFileSync(layers[1]!.file!.path, tampered);
    const walk = await walkLayers(layers, ANALYZERS, scanExtraWanted, IN_WORKERS, WORKER);
    expect(walk.layerWorkers).toBe(2);
    expect(walk.files).toEqual([]);
    const digest = layers[1]!.digest;
    expect(walk.problems).toEqual([
      {
        source: 'image',
        message: expect.stringContaining(`layer ${digest}: blob ${digest} does not match its digest`),
      },
    ]);
  });

  it("pass on a streamed layer's failure with its message", async () => {
    const blobs = await layerBlobs();
    const broken: LayerInput = {
      digest: 'sha256:broken',
      open: async () =>
        Readable.from(
          (async function* () {
            yield blobs[1]!.subarray(0, 1000);
            throw new Error('connection reset by registry');
          })(),
        ),
    };
    const layers = [layerOf('l0', blobs[0]!), broken, layerOf('l2', blobs[2]!)];
    const walk = await walkLayers(layers, ANALYZERS, scanExtraWanted, IN_WORKERS, WORKER);
    expect(walk.problems).toEqual([
      { source: 'image', message: 'layer sha256:broken: connection reset by registry' },
    ]);
  });

  it('count every thread against one image byte budget', async () => {
    const blobs = await layerBlobs();
    // Every layer fits on its own, and each thread's share would too; only the shared count is over.
    const total = blobs.reduce((sum, b) => sum + (b[0] === 0x1f ? gunzipSync(b) : b).length, 0);
    const limits = { ...IN_WORKERS, maxImageBytes: total - 1 };
    const walk = await walkLayers(
      blobs.map((b, i) => layerOf(`l${i}`, b)),
      [],
      () => false,
      limits,
      WORKER,
    );
    expect(walk.problems[0]?.message).toMatch(/image decompresses past the \d+-byte image limit/);
  });
});
