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
   * Layers read at once. Each layer's inflate runs on libuv's thread pool, so on a machine with more
   * than one core several layers inflate in parallel while the main thread walks their tar headers.
   * Unset: one at a time.
   */
  layerConcurrency?: number;
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = {
  maxLayerBytes: 16 * 2 ** 30,
  maxImageBytes: 64 * 2 ** 30,
  maxFileBytes: 64 * 2 ** 20,
  maxEntries: 2_000_000,
  layerConcurrency: Math.max(1, Math.min(4, availableParallelism())),
};
