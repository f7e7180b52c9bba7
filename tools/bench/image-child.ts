import { walkLayers } from '../../core/image/layers/walk-layers.js';
import { scanImage } from '../../core/image/scan-image.js';
import { resolveImage } from '../../core/image/source/resolve-image.js';

// Runs one measurement in its own process, so peak RSS belongs to that measurement alone.
const [mode, reference] = process.argv.slice(2);
const image = await resolveImage(reference!);
const start = process.hrtime.bigint();
let packages = 0;
if (mode === 'scan') {
  packages = (await scanImage(image, undefined, new Date())).packages.length;
} else {
  // The floor in Node: decompress and walk every tar entry, buffering nothing.
  await walkLayers(image.layers, []);
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(JSON.stringify({ seconds, packages, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
