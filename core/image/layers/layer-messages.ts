import type { BlobFile } from './entry.js';
import type { PackedLayer } from './layer-result.js';
import type { LayerLimits } from './limits.js';

/** What a layer worker thread is started with (`workerData`). */
export interface LayerWorkerSetup {
  limits: LayerLimits;
  /** The image's decompressed-byte count, shared by every thread of the walk (byte-budget.ts). */
  budget: SharedArrayBuffer;
}

/**
 * Main thread → worker. A layer with a local `file` is read by the worker itself; otherwise the main
 * thread streams its blob (already digest-verified) in `chunk`s, one per `pull`.
 */
export type ToLayerWorker =
  | { kind: 'read'; id: number; digest: string; file?: BlobFile }
  | { kind: 'chunk'; id: number; bytes: Uint8Array }
  | { kind: 'end'; id: number }
  | { kind: 'abort'; id: number; message: string };

/** Worker → main thread. */
export type FromLayerWorker =
  | { kind: 'pull'; id: number }
  | { kind: 'done'; id: number; layer: PackedLayer }
  | { kind: 'failed'; id: number; message: string };
