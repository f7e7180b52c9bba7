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
}

export const DEFAULT_LAYER_LIMITS: LayerLimits = {
  maxLayerBytes: 16 * 2 ** 30,
  maxImageBytes: 64 * 2 ** 30,
  maxFileBytes: 64 * 2 ** 20,
  maxEntries: 2_000_000,
};
