import { existsSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { sharedImageBudget } from '../../../../core/image/layers/byte-budget.js';
import type { LayerInput } from '../../../../core/image/layers/entry.js';
import { LayerPool, sharedLayerPool } from '../../../../core/image/layers/layer-pool.js';
import { DEFAULT_LAYER_LIMITS } from '../../../../core/image/layers/limits.js';
import { layerOf, tarOf } from './tar-layer.js';

// The worker script as built (`npm run build`, which `npm test` runs first): a worker thread cannot
// load the TypeScript sources jest runs.
const WORKER = new URL('../../../../dist/core/image/scan-layer-worker.js', import.meta.url);

async function sizedLayer(digest: string, size: number): Promise<LayerInput> {
  const layer = layerOf(digest, await tarOf([{ name: `${digest}.txt`, content: 'x' }]));
  return { ...layer, size };
}

describe('LayerPool', () => {
  it('has the built worker script to run', () => {
    expect(existsSync(WORKER)).toBe(true);
  });

  it('gives a free worker the largest waiting layer (the longest inflate starts first)', async () => {
    const pool = new LayerPool(WORKER, 1);
    try {
      const budget = sharedImageBudget(DEFAULT_LAYER_LIMITS.maxImageBytes).shared;
      const finished: string[] = [];
      const walk = {};
      const read = async (layer: LayerInput) => {
        const packed = await pool.read(walk, layer, DEFAULT_LAYER_LIMITS, budget);
        finished.push(packed.digest);
      };
      // The first is taken at once (the worker is free); of the rest, the largest goes next.
      const layers = await Promise.all([
        sizedLayer('sha256:first', 10),
        sizedLayer('sha256:small', 100),
        sizedLayer('sha256:unknown', 0),
        sizedLayer('sha256:large', 5000),
        sizedLayer('sha256:medium', 1000),
      ]);
      await Promise.all(layers.map(read));
      expect(finished).toEqual([
        'sha256:first',
        'sha256:large',
        'sha256:medium',
        'sha256:small',
        'sha256:unknown',
      ]);
    } finally {
      await pool.close();
    }
  });

  it("drops a cancelled walk's waiting layers and goes on with another walk's", async () => {
    const pool = new LayerPool(WORKER, 1);
    try {
      const budget = sharedImageBudget(DEFAULT_LAYER_LIMITS.maxImageBytes).shared;
      const failed = {};
      const other = {};
      const running = pool.read(failed, await sizedLayer('sha256:a', 3), DEFAULT_LAYER_LIMITS, budget);
      const waiting = pool.read(failed, await sizedLayer('sha256:b', 2), DEFAULT_LAYER_LIMITS, budget);
      const others = pool.read(other, await sizedLayer('sha256:c', 1), DEFAULT_LAYER_LIMITS, budget);
      pool.cancel(failed);
      await expect(waiting).rejects.toThrow('walk cancelled');
      expect((await running).digest).toBe('sha256:a'); // taken before the cancel: read to its end
      expect((await others).digest).toBe('sha256:c');
    } finally {
      await pool.close();
    }
  });

  it('is shared by the walks of a process, and replaced once stopped', async () => {
    const first = sharedLayerPool(WORKER, 2);
    expect(sharedLayerPool(new URL(WORKER.href), 2)).toBe(first);
    expect(sharedLayerPool(WORKER, 1)).not.toBe(first);
    await first.close();
    await sharedLayerPool(WORKER, 1).close();
    const next = sharedLayerPool(WORKER, 2);
    expect(next).not.toBe(first);
    expect(next.usable).toBe(true);
    await next.close();
  });
});
