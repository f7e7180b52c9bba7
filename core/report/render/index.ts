import { OUTPUT_FORMATS } from './formats.js';
import { jsonRenderer } from './json.js';
import type { Renderer } from './renderer.js';
import { sarifRenderer } from './sarif.js';
import { tableRenderer } from './table.js';
import { yamlRenderer } from './yaml.js';

export { OUTPUT_FORMATS, type OutputFormat } from './formats.js';
export type { Renderer, RenderOptions } from './renderer.js';

export const RENDERERS: readonly Renderer[] = [tableRenderer, jsonRenderer, yamlRenderer, sarifRenderer];

// formats.ts is the list `--output` offers: a renderer missing from it, or a name without a renderer,
// is a programming error caught at the first run that renders.
if (RENDERERS.map((r) => r.name).join() !== OUTPUT_FORMATS.join())
  throw new Error(
    `render/formats.ts lists ${OUTPUT_FORMATS.join(', ')} but the renderers are ${RENDERERS.map((r) => r.name).join(', ')}`,
  );

export function rendererFor(name: string): Renderer {
  const renderer = RENDERERS.find((r) => r.name === name);
  if (!renderer)
    throw new Error(`unknown output format "${name}": expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return renderer;
}
