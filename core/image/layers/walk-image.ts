import { sharedImageBudget } from './byte-budget.js';
import type { AnalyzerOutput, LayerAnalyzer, LayerInput } from './entry.js';
import { type LayerState, readLayer, type WalkProblem } from './layer-read.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits } from './limits.js';
import { UpperLayers } from './visibility.js';

export type { WalkProblem } from './layer-read.js';

export interface WalkOutcome<T> {
  /** Results for files of the final filesystem only, top layer first. */
  outputs: AnalyzerOutput<T>[];
  /** Non-directory entries of the final filesystem. */
  fileCount: number;
  /** Entries skipped (escaping paths, over-size files) and analyzer failures; the walk went on. */
  problems: WalkProblem[];
}

/**
 * Reads one layer into its state. `upper` is what the layers above it hide, given only when layers are
 * read one at a time; without it the layer is read as if alone, and what is hidden is dropped on merge.
 */
export type LayerReader = (layer: LayerInput, upper: UpperLayers | undefined) => Promise<LayerState>;

/**
 * Walks an image's layers once each, as streams, and runs the analyzers on the files of the final
 * filesystem. Layers are merged top-down (last layer first): a file deleted (`.wh.`), hidden by an
 * opaque directory, or replaced higher up is left out of the outcome, and only the set of upper paths
 * is kept, never file contents. Only files an analyzer wants are buffered, each up to `maxFileBytes`.
 *
 * With `layerConcurrency` 1 each layer is read knowing every layer above it, so hidden files stream
 * past unread. With more, up to that many layers are read at once (their inflate runs on the thread
 * pool) without that knowledge, and what an upper layer hides is dropped when the layers are merged, in
 * order, as soon as each is read: memory is bounded by the wanted files of the layers in flight.
 *
 * A layer that cannot be read (corrupt or truncated compression, digest mismatch, bomb, malformed tar)
 * fails the walk with an error naming its digest: what it would have deleted is unknown, so a result
 * for the layers below could report files that are not in the image.
 */
export async function walkImage<T>(
  layers: readonly LayerInput[],
  analyzers: readonly LayerAnalyzer<T>[],
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
): Promise<WalkOutcome<T>> {
  const budget = sharedImageBudget(limits.maxImageBytes);
  const problems: WalkProblem[] = [];
  const read: LayerReader = (layer, upper) =>
    readLayer(
      layer,
      upper ?? new UpperLayers(),
      analyzers as readonly LayerAnalyzer<unknown>[],
      limits,
      budget,
      problems,
    );
  return mergeLayers<T>(layers, limits.layerConcurrency ?? 1, read, problems);
}

/**
 * Reads layers with `read`, up to `concurrency` at once (read or waiting to be merged), and merges them
 * strictly top-down in layer order, so whiteouts and opaque directories apply exactly as in a
 * sequential walk (OCI image-spec layer.md). `problems` is the list the reader adds to.
 */
export async function mergeLayers<T>(
  layers: readonly LayerInput[],
  concurrency: number,
  read: LayerReader,
  problems: WalkProblem[],
): Promise<WalkOutcome<T>> {
  const upper = new UpperLayers();
  const outcome: WalkOutcome<T> = { outputs: [], fileCount: 0, problems };
  const atOnce = Math.max(1, Math.floor(concurrency));
  // Top-down order: index 0 of `order` is the last layer.
  const order = layers.map((_, i) => layers.length - 1 - i);
  const inFlight = new Map<number, Promise<LayerState>>();
  const start = (k: number) => {
    if (k >= order.length || atOnce === 1) return;
    const reading = read(layers[order[k]!]!, undefined);
    reading.catch(() => {}); // awaited in order below; a later layer's failure must not go unhandled
    inFlight.set(k, reading);
  };
  for (let k = 0; k < Math.min(atOnce, order.length); k++) start(k);
  for (let k = 0; k < order.length; k++) {
    const state = atOnce === 1 ? await read(layers[order[k]!]!, upper) : await inFlight.get(k)!;
    inFlight.delete(k);
    start(k + atOnce);
    if (atOnce > 1) hideFromUpper(state, upper);
    upper.add(state);
    outcome.fileCount += state.visibleFiles.size;
    for (const list of state.outputs.values())
      for (const output of list as AnalyzerOutput<T>[]) outcome.outputs.push(output);
  }
  return outcome;
}

/** A layer read without knowing the layers above it: drops what they hide, before it is merged. */
function hideFromUpper(state: LayerState, upper: UpperLayers): void {
  for (const path of state.visibleFiles) {
    if (upper.visible(path, false)) continue;
    state.visibleFiles.delete(path);
    state.outputs.delete(path);
  }
}
