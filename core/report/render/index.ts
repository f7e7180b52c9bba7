import { jsonRenderer } from './json.js';
import type { Renderer } from './renderer.js';
import { sarifRenderer } from './sarif.js';
import { tableRenderer } from './table.js';
import { yamlRenderer } from './yaml.js';

export type { Renderer, RenderOptions } from './renderer.js';

export const RENDERERS: readonly Renderer[] = [tableRenderer, jsonRenderer, yamlRenderer, sarifRenderer];
export const OUTPUT_FORMATS = RENDERERS.map((r) => r.name);

export function rendererFor(name: string): Renderer {
  const renderer = RENDERERS.find((r) => r.name === name);
  if (!renderer)
    throw new Error(`unknown output format "${name}": expected one of ${OUTPUT_FORMATS.join(', ')}`);
  return renderer;
}
