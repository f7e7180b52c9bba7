import { pipeline } from 'node:stream/promises';
import { type TarBody, type TarHeader, TarReader } from '../tar/tar-reader.js';
import { budgetedChunks, type ImageBudget } from './byte-budget.js';
import { decompressorFor } from './decompress.js';
import {
  type AnalyzerOutput,
  type EntryHeader,
  entryHeader,
  type LayerAnalyzer,
  type LayerFile,
  type LayerInput,
} from './entry.js';
import { describeLayerError } from './layer-error.js';
import { readContent } from './layer-file.js';
import type { LayerLimits } from './limits.js';
import { imagePath } from './safe-path.js';
import type { UpperLayers } from './visibility.js';

export interface WalkProblem {
  source: string;
  message: string;
}

const WHITEOUT = '.wh.';
const OPAQUE = '.wh..wh..opq';

/** One layer's contribution: what it hides below it, and analyzer results for its visible files. */
export interface LayerState {
  digest: string;
  deleted: string[];
  opaque: string[];
  /** Every path with an entry here: true for a non-directory. */
  entries: Map<string, boolean>;
  visibleFiles: Set<string>;
  outputs: Map<string, AnalyzerOutput<unknown>[]>;
  /** Content read in this layer, for hard links to it (tar hard links point earlier in the same archive). */
  contents: Map<string, Promise<Buffer>>;
  entryCount: number;
}

/**
 * Reads one layer as a stream — decompressed by its magic bytes, counted against the layer's and the
 * image's byte budgets, walked entry by entry — and runs the analyzers on the files `upper` leaves
 * visible. Only files an analyzer wants are buffered. A layer that cannot be read throws an error
 * naming its digest.
 */
export async function readLayer(
  layer: LayerInput,
  upper: UpperLayers,
  analyzers: readonly LayerAnalyzer<unknown>[],
  limits: LayerLimits,
  budget: ImageBudget,
  problems: WalkProblem[],
): Promise<LayerState> {
  const state: LayerState = {
    digest: layer.digest,
    deleted: [],
    opaque: [],
    entries: new Map(),
    visibleFiles: new Set(),
    outputs: new Map(),
    contents: new Map(),
    entryCount: 0,
  };
  const ctx: EntryContext = { upper, analyzers, limits, problems };
  // The walk's own error, if any: pipeline() then reports the abort of the stages it tore down.
  let walkError: Error | undefined;
  const walk = async (chunks: AsyncIterable<Buffer>) => {
    try {
      const tar = new TarReader(budgetedChunks(chunks, limits.maxLayerBytes, budget)[Symbol.asyncIterator]());
      for (let entry = await tar.next(); entry; entry = await tar.next())
        await onEntry(entry.header, entry.body, state, ctx);
    } catch (error) {
      walkError = error as Error;
      throw error;
    }
  };
  try {
    const raw = await layer.open();
    const decompressor = await decompressorFor(raw);
    // The walk pulls the chunks: a slow analyzer holds back inflate, and a failing stage fails the rest.
    await (decompressor ? pipeline(raw, decompressor, walk) : pipeline(raw, walk));
  } catch (error) {
    throw new Error(`layer ${layer.digest}: ${describeLayerError(walkError ?? (error as Error))}`);
  }
  return state;
}

interface EntryContext {
  upper: UpperLayers;
  analyzers: readonly LayerAnalyzer<unknown>[];
  limits: LayerLimits;
  problems: WalkProblem[];
}

async function onEntry(raw: TarHeader, body: TarBody, state: LayerState, ctx: EntryContext): Promise<void> {
  if (++state.entryCount > ctx.limits.maxEntries)
    throw new Error(`more than ${ctx.limits.maxEntries} tar entries`);
  const path = imagePath(raw.name);
  if (path === undefined) {
    ctx.problems.push({
      source: `layer ${state.digest}`,
      message: `skipped entry escaping the image root: ${JSON.stringify(raw.name)}`,
    });
    return;
  }
  if (path === '') return; // the root directory itself
  const slash = path.lastIndexOf('/');
  const dir = slash < 0 ? '' : path.slice(0, slash);
  const base = path.slice(slash + 1);
  if (base.startsWith(WHITEOUT)) {
    // OCI layer.md: `.wh..wh..opq` empties the directory below; other `.wh..wh.` names are AUFS metadata.
    if (base === OPAQUE) state.opaque.push(dir);
    else if (!base.startsWith(`${WHITEOUT}${WHITEOUT}`))
      state.deleted.push(dir ? `${dir}/${base.slice(WHITEOUT.length)}` : base.slice(WHITEOUT.length));
    return;
  }
  const isDirectory = raw.type === 'directory';
  state.entries.set(path, !isDirectory);
  state.outputs.delete(path); // a later entry for the same path in one tar replaces the earlier one
  state.contents.delete(path);
  if (isDirectory || !ctx.upper.visible(path, false)) {
    state.visibleFiles.delete(path);
    return;
  }
  state.visibleFiles.add(path);
  return analyzeEntry(path, entryHeader(raw), body, state, ctx);
}

async function analyzeEntry(
  path: string,
  header: EntryHeader,
  body: TarBody,
  state: LayerState,
  ctx: EntryContext,
): Promise<void> {
  // Content nobody reads is skipped by the tar reader when it moves to the next entry.
  const wanting = ctx.analyzers.filter((a) => {
    try {
      return a.wants(path, header) === true;
    } catch (error) {
      ctx.problems.push({
        source: `analyzer ${a.name}`,
        message: `wants(${path}) failed: ${(error as Error).message}`,
      });
      return false;
    }
  });
  if (wanting.length === 0) return;
  let content: Promise<Buffer> | undefined;
  const file: LayerFile = {
    path,
    header,
    layer: state.digest,
    read: (maxBytes) =>
      (content ??= readContent(path, header, body, state.contents, maxBytes ?? ctx.limits.maxFileBytes)),
  };
  const outputs: AnalyzerOutput<unknown>[] = [];
  for (const analyzer of wanting) {
    try {
      outputs.push({
        analyzer: analyzer.name,
        path,
        layer: state.digest,
        value: await analyzer.analyze(file),
      });
    } catch (error) {
      ctx.problems.push({
        source: `analyzer ${analyzer.name}`,
        message: `${path} in layer ${state.digest}: ${(error as Error).message}`,
      });
    }
  }
  if (outputs.length > 0) state.outputs.set(path, outputs);
  if (content) await content.catch(() => {});
}
