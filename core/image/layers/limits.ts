import { availableParallelism } from 'node:os';

/** Bounds on what one image may make the walker do; each breach is an error or a skipped entry, never a crash. */
export interface LayerLimits {
  /** Decompressed bytes one layer may expand to (decompression bombs). */
  maxLayerBytes: number;
  /** Decompressed bytes all layers of an image may expand to together. */
  maxImageBytes: number;
  /** Bytes one file may have for an analyzer to read it; larger ones are skipped with a problem. */
  maxFileBytes: number;
  /** Tar entries one layer may hold. */
  maxEntries: number;
  /**
   * Layers read at once (read or read and waiting to be merged, so it also bounds what is held). With
   * more than one, layers inflate in parallel on libuv's thread pool and — when the walk has a worker
   * script — their tar walks and analyzers' file matching run in `layerWorkers` worker threads.
   * Unset or 1: one at a time, each layer knowing the layers above it.
   */
  layerConcurrency?: number;
  /** Worker threads for the layers read at once (each may hold several); unset: one per core, at most 4. */
  layerWorkers?: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = {
  maxLayerBytes: 16 * 2 ** 30,
  maxImageBytes: 64 * 2 ** 30,
  maxFileBytes: 64 * 2 ** 20,
  maxEntries: 2_000_000,
  // Four layers in flight even on two cores: layers differ in size, and with one per core the largest
  // would leave a core idle at the end; the thread pool interleaves the inflates.
  layerConcurrency: 4,
  layerWorkers: Math.max(1, Math.min(4, availableParallelism())),
};
