import { createReadStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { createGunzip } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { extract } from 'tar-stream';
import { buildImage, type ImageBuild } from '../../../tools/release/image/build-image.js';
import { PLATFORMS } from '../../../tools/release/image/platforms.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const MiB = 2 ** 20;

interface TarEntry {
  name: string;
  type: string;
  mode: number;
  uid: number;
  gid: number;
  uname: string;
  mtime: number;
}

async function layerEntries(blob: string): Promise<TarEntry[]> {
  const entries: TarEntry[] = [];
  const tar = extract();
  tar.on('entry', (h, stream, next) => {
    entries.push({
      name: h.name,
      type: h.type ?? 'file',
      mode: h.mode ?? 0,
      uid: h.uid ?? -1,
      gid: h.gid ?? -1,
      uname: h.uname ?? '',
      mtime: (h.mtime?.getTime() ?? 0) / 1000,
    });
    stream.on('end', next);
    stream.resume();
  });
  await pipeline(createReadStream(blob), createGunzip(), tar);
  return entries;
}

describe('seco image build is reproducible', () => {
  const dirs: string[] = [];
  let first: ImageBuild;
  let second: ImageBuild;
  const platforms = [PLATFORMS['linux/amd64'], PLATFORMS['linux/arm64']];

  // Two builds of this commit in two directories (the addon compiles in each), one after the other.
  beforeAll(async () => {
    const build = async () => {
      const dir = mkdtempSync(join(tmpdir(), 'seco-image-repro-'));
      dirs.push(dir);
      return buildImage({
        repoRoot,
        outDir: join(dir, 'oci'),
        cacheDir: join(repoRoot, '.seco-cache'),
        platforms,
      });
    };
    first = await build();
    second = await build();
  }, 300_000);

  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('two builds of one commit give the same index digest, and the same layers per platform', () => {
    expect(second.images.map((i) => i.layers)).toEqual(first.images.map((i) => i.layers));
    expect(second.index.digest).toBe(first.index.digest);
  });

  it('each platform pulls at most 70 MiB', () => {
    for (const image of first.images) expect(image.compressedSize).toBeLessThanOrEqual(70 * MiB);
  });

  it('every layer entry has the commit time, numeric owners and no user names; no shell, no package manager', async () => {
    for (const image of first.images) {
      const names: string[] = [];
      for (const layer of image.layers) {
        const entries = await layerEntries(join(dirs[0]!, 'oci/blobs', ...layer.digest.split(':')));
        for (const e of entries) {
          expect(e.mtime).toBe(first.sourceDateEpoch);
          expect(e.uname).toBe('');
          expect([e.uid, e.gid]).toEqual(e.name === 'home/nonroot/' ? [65532, 65532] : [0, 0]);
        }
        const inLayer = entries.map((e) => e.name);
        expect(inLayer).toEqual([...inLayer].sort());
        names.push(...inLayer);
      }
      for (const absent of ['bin/sh', 'usr/bin/sh', 'bin/bash', 'usr/bin/apt', 'usr/bin/dpkg', 'usr/bin/env'])
        expect(names).not.toContain(absent);
      expect(names).toContain('usr/local/bin/node');
      expect(names).toContain('opt/seco/node_modules/seco-proc-connector/build/Release/proc_connector.node');
      // The eBPF sensor (CO-RE object and libbpf loader) in both images: arm64's loader is cross-built
      // against Debian's arm64 libbpf, its object compiled for the arm64 target.
      const sensor = [
        'opt/seco/node_modules/seco-proc-connector/bpf-build/sensor.bpf.o',
        'opt/seco/node_modules/seco-proc-connector/build/Release/ebpf_sensor.node',
      ];
      expect(names).toEqual(expect.arrayContaining(sensor));
      expect(names).toContain('var/lib/dpkg/status.d/libc6');
      expect(names.filter((n) => n.startsWith('usr/local/') && n.includes('include/'))).toEqual([]);
    }
  });
});
