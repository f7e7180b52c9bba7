import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Analyzer } from '../package.js';
import { sharedImageBudget } from './byte-budget.js';
import type { LayerInput } from './entry.js';
import { EXECUTABLES, type ExecutableList, executableList, executablesAnalyzer } from './executables.js';
import { type LayerWorkerScript, sharedLayerPool } from './layer-pool.js';
import type { WalkProblem } from './layer-read.js';
import { unpackLayer } from './layer-result.js';
import { DEFAULT_LAYER_LIMITS, type LayerLimits } from './limits.js';
import { type LayerReader, mergeLayers, type WalkOutcome, walkImage } from './walk-image.js';
import { type ExtraWanted, WANTED_FILES, type WantedFile, wantedFilesAnalyzer } from './wanted-files.js';

export type { LayerInput } from './entry.js';
export { DEFAULT_LAYER_LIMITS, type LayerLimits } from './limits.js';
export type { WantedFile } from './wanted-files.js';

export interface WalkResult {
  files: WantedFile[];
  /** Non-directory entries of the final filesystem. */
  fileCount: number;
  /** The final filesystem's executable files (paths only), for runtime drift detection. */
  executables: ExecutableList;
  problems: WalkProblem[];
  /** Worker threads the layers were read in; 0 when they were read on the calling thread. */
  layerWorkers: number;
}

/**
 * The package analyzers' view of `walkImage`: collects the content of every final-filesystem regular
 * file a package analyzer (or `extraWanted`) wants, reduced at once when the analyzers that want it all
 * have a `reduce`, and names the executable files in the same pass. A layer that cannot be read
 * ends the walk; it is reported as a problem and no files are returned, since the final filesystem is
 * then unknown.
 *
 * `worker` is a script that serves the same analyzers and `extraWanted` in a worker thread
 * (`serveLayers`, e.g. core/image/scan-layer-worker.ts). Given, and with more than one layer read at
 * once, the layers are read in `layerWorkers` threads — inflate, tar walk, file matching and reading
 * off the calling thread — and merged here in layer order; the result is the same as a walk in one
 * thread. A script given as a file that is not on disk leaves the walk on the calling thread (a bundle
 * carries the script as source instead: SCAN_LAYER_WORKER).
 */
export async function walkLayers(
  layers: readonly LayerInput[],
  analyzers: readonly Analyzer[],
  extraWanted: ExtraWanted = () => false,
  limits: LayerLimits = DEFAULT_LAYER_LIMITS,
  worker?: LayerWorkerScript,
): Promise<WalkResult> {
  const threads = workerThreads(layers.length, limits, worker);
  try {
    const { outcome, capped } =
      threads > 0
        ? await walkInWorkers(layers, limits, worker!, threads)
        : await walkInThread(layers, analyzers, extraWanted, limits);
    const files = outcome.outputs
      .filter((o) => o.analyzer === WANTED_FILES && o.value !== undefined)
      .map((o) => o.value as WantedFile);
    const exePaths = outcome.outputs.filter((o) => o.analyzer === EXECUTABLES).map((o) => o.path);
    return {
      files,
      fileCount: outcome.fileCount,
      executables: executableList(exePaths, capped),
      problems: outcome.problems,
      layerWorkers: threads,
    };
  } catch (error) {
    return {
      files: [],
      fileCount: 0,
      executables: { paths: [], capped: false },
      problems: [{ source: 'image', message: (error as Error).message }],
      layerWorkers: threads,
    };
  }
}

interface Walked {
  outcome: WalkOutcome<unknown>;
  /** Whether the executables list hit its cap. */
  capped: boolean;
}

/** Worker threads worth starting: none for one layer at a time, one image layer, or no script. */
function workerThreads(
  layerCount: number,
  limits: LayerLimits,
  worker: LayerWorkerScript | undefined,
): number {
  const atOnce = Math.min(layerCount, Math.floor(limits.layerConcurrency ?? 1));
  if (!worker || atOnce <= 1 || (worker instanceof URL && !existsSync(fileURLToPath(worker)))) return 0;
  return Math.max(1, Math.min(atOnce, Math.floor(limits.layerWorkers ?? 1)));
}

async function walkInThread(
  layers: readonly LayerInput[],
  analyzers: readonly Analyzer[],
  extraWanted: ExtraWanted,
  limits: LayerLimits,
): Promise<Walked> {
  const executables = executablesAnalyzer();
  const collector = wantedFilesAnalyzer(analyzers, extraWanted, limits);
  const outcome = await walkImage<unknown>(layers, [collector, executables], limits);
  return { outcome, capped: executables.capped() };
}

async function walkInWorkers(
  layers: readonly LayerInput[],
  limits: LayerLimits,
  worker: LayerWorkerScript,
  threads: number,
): Promise<Walked> {
  const budget = sharedImageBudget(limits.maxImageBytes);
  const pool = sharedLayerPool(worker, threads);
  const walk = {};
  const problems: WalkProblem[] = [];
  let capped = false;
  const read: LayerReader = async (layer) => {
    const packed = await pool.read(walk, layer, limits, budget.shared);
    problems.push(...packed.problems);
    capped ||= packed.executablesCapped;
    return unpackLayer(packed);
  };
  try {
    return { outcome: await mergeLayers(layers, limits.layerConcurrency ?? 1, read, problems), capped };
  } catch (error) {
    pool.cancel(walk);
    throw error;
  }
}
