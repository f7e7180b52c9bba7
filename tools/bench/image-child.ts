import { writeFileSync } from 'node:fs';
import { DEFAULT_LAYER_LIMITS, walkLayers } from '../../core/image/layers/walk-layers.js';
import { scanImage } from '../../core/image/scan-image.js';
import { resolveImage } from '../../core/image/source/resolve-image.js';

// Runs one measurement in its own process, so peak RSS belongs to that measurement alone.
// Modes: `scan` (layers at the default concurrency), `scan-1` (one layer at a time), `walk` (the floor in
// Node: decompress and walk every tar entry, buffering nothing). With a third argument, `scan` writes the
// purls it found there, one a line, for the comparison with the peers.
const [mode, reference, purlsFile] = process.argv.slice(2);
const image = await resolveImage(reference!);
const start = process.hrtime.bigint();
let packages = 0;
if (mode === 'scan' || mode === 'scan-1') {
  const limits = mode === 'scan-1' ? { ...DEFAULT_LAYER_LIMITS, layerConcurrency: 1 } : DEFAULT_LAYER_LIMITS;
  const result = await scanImage(image, undefined, new Date(), limits);
  packages = result.packages.length;
  if (purlsFile) writeFileSync(purlsFile, [...new Set(result.packages.map((p) => p.purl))].join('\n'));
} else {
  await walkLayers(image.layers, []);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({ seconds, packages, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
