import { OS_RELEASE_PATHS } from './analyzers/os-release.js';
import type { LayerWorkerScript } from './layers/layer-pool.js';
import { wantsSecretCandidate } from './secrets-in-layers.js';

/** Files the image scan keeps besides the package analyzers': os-release, and candidates for secrets. */
export const scanExtraWanted = (path: string, size: number): boolean =>
  OS_RELEASE_PATHS.includes(path) || wantsSecretCandidate(path, size);

/** In a release bundle: the layer worker's own bundle, as source (tools/release/layer-worker-source.ts). */
declare const __SECO_LAYER_WORKER__: string | undefined;

/**
 * The worker script that serves the scan's analyzers (layers read in worker threads, walk-layers.ts):
 * scan-layer-worker.js beside this module in dist/; in a one-file bundle (the SEA executables, the
 * services' image bundle) the source compiled into it, since no file sits beside the bundle.
 */
export const SCAN_LAYER_WORKER: LayerWorkerScript =
  typeof __SECO_LAYER_WORKER__ === 'string'
    ? { source: __SECO_LAYER_WORKER__ }
    : new URL('./scan-layer-worker.js', import.meta.url);
