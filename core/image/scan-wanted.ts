import { OS_RELEASE_PATHS } from './analyzers/os-release.js';
import { wantsSecretCandidate } from './secrets-in-layers.js';

/** Files the image scan keeps besides the package analyzers': os-release, and candidates for secrets. */
export const scanExtraWanted = (path: string, size: number): boolean =>
  OS_RELEASE_PATHS.includes(path) || wantsSecretCandidate(path, size);

/** The worker script that serves the scan's analyzers (layers read in worker threads, walk-layers.ts). */
export const SCAN_LAYER_WORKER = new URL('./scan-layer-worker.js', import.meta.url);
