// A layer worker thread of the image scan (core/image/layers/layer-pool.ts): the scan's analyzers and
// extra files, served by the generic worker loop. Started by path, never imported.
import { ANALYZERS } from './analyzers/index.js';
import { serveLayers } from './layers/layer-worker-loop.js';
import { scanExtraWanted } from './scan-wanted.js';

serveLayers(ANALYZERS, scanExtraWanted);
