import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ANALYZERS } from '../../../core/image/analyzers/index.js';
import { DEFAULT_LAYER_LIMITS } from '../../../core/image/layers/limits.js';
import { walkLayers } from '../../../core/image/layers/walk-layers.js';
import { inventoryImage } from '../../../core/image/scan-image.js';
import { scanExtraWanted } from '../../../core/image/scan-wanted.js';
import { resolveImage } from '../../../core/image/source/resolve-image.js';
import { layerWorkerSource } from '../../../tools/release/layer-worker-source.js';
import { pushImage } from '../../harness/registry/push-image.js';
import { type RunningRegistry, startRegistry } from '../../harness/registry/start-registry.js';
import { buildLayeredImage, type LayeredImage } from './layered-image.js';

// The worker script as built (`npm run build`, which `npm test` runs first): jest runs the TypeScript
// sources, which a worker thread cannot load.
const WORKER = new URL('../../../dist/core/image/scan-layer-worker.js', import.meta.url);
const SEQUENTIAL = { ...DEFAULT_LAYER_LIMITS, layerConcurrency: 1 };
const IN_WORKERS = { ...DEFAULT_LAYER_LIMITS, layerConcurrency: 4, layerWorkers: 2 };

let image: LayeredImage;
let registry: RunningRegistry;

beforeAll(async () => {
  image = buildLayeredImage();
  registry = await startRegistry();
  await pushImage(image.layout, image.tag, `${registry.host}/seco/layered:v1`);
}, 120_000);

afterAll(async () => {
  await registry?.stop();
  image?.remove();
});

describe('a real layered image read in worker threads', () => {
  it.each([
    ['an OCI layout (blobs read by the workers)', () => `oci-layout:${image.layout}:${image.tag}`],
    ['a docker-archive (byte ranges read by the workers)', () => `docker-archive:${image.dockerArchive}`],
    ['a registry (blobs streamed to the workers)', () => `${registry.host}/seco/layered:v1`],
  ])(
    'inventories %s exactly as a sequential walk does',
    async (_, reference) => {
      const resolved = await resolveImage(reference(), { insecureRegistries: [registry.host] });
      expect(resolved.layers).toHaveLength(2); // else no worker thread is started
      const sequential = await inventoryImage(resolved, SEQUENTIAL, WORKER);
      const parallel = await inventoryImage(resolved, IN_WORKERS, WORKER);
      expect(parallel.problems).toEqual([]);
      expect(parallel).toEqual(sequential);
      expect(parallel.packages.length).toBeGreaterThan(100); // this machine's dpkg database
      // secret.conf holds a password in layer 1 and is deleted by layer 2's whiteout.
      expect(parallel.secrets).toEqual([]);
    },
    60_000,
  );
});

describe('the layer worker carried as source, as the release bundles carry it', () => {
  it('reads the layers in worker threads started from the source, with the same result', async () => {
    const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
    const source = await layerWorkerSource(repoRoot, 'node20');
    const resolved = await resolveImage(`oci-layout:${image.layout}:${image.tag}`);
    const fromSource = await walkLayers(resolved.layers, ANALYZERS, scanExtraWanted, IN_WORKERS, { source });
    const sequential = await walkLayers(resolved.layers, ANALYZERS, scanExtraWanted, SEQUENTIAL, WORKER);
    expect(resolved.layers).toHaveLength(2);
    expect(fromSource.layerWorkers).toBe(2);
    expect(sequential.layerWorkers).toBe(0);
    expect(fromSource.problems).toEqual([]);
    expect(fromSource).toEqual({ ...sequential, layerWorkers: 2 });
    expect(await inventoryImage(resolved, IN_WORKERS, { source })).toEqual(
      await inventoryImage(resolved, SEQUENTIAL),
    );
  }, 120_000);
});
