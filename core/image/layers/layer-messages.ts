import type { BlobFile } from './entry.js';
import type { PackedLayer } from './layer-result.js';
import type { LayerLimits } from './limits.js';

/**
 * Main thread → worker. A layer with a local `file` is read by the worker itself; otherwise the main
 * thread streams its blob (already digest-verified) in `chunk`s, one per `pull`. `budget` is the walk's
 * decompressed-byte count, shared by every thread reading its layers (byte-budget.ts).
 */
export type ToLayerWorker =
  | {
      kind: 'read';
      id: number;
      digest: string;
      limits: LayerLimits;
      budget: SharedArrayBuffer;
      file?: BlobFile;
    }
  | { kind: 'chunk'; id: number; bytes: Uint8Array }
  | { kind: 'end'; id: number }
  | { kind: 'abort'; id: number; message: string };

/** Worker → main thread. */
export type FromLayerWorker =
  | { kind: 'pull'; id: number }
  | { kind: 'done'; id: number; layer: PackedLayer }
  | { kind: 'failed'; id: number; message: string };
